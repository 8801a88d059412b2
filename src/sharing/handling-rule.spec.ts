import { carriedCode, decideRelease, looser, ReleaseFacts, stricter } from './handling-rule';

const facts = (over: Partial<ReleaseFacts>): ReleaseFacts => ({
  holder: 'KR',
  recipient: 'MY',
  originator: 'KH',
  receipts: [],
  recipientInGreenCircle: false,
  releaseGranted: false,
  ...over,
});

describe('the release rule (TLP 2.0)', () => {
  it('lets a country pass on its own persons, and anyone give a person back to its originator', () => {
    expect(decideRelease(facts({ holder: 'KH' }))).toEqual({ allowed: true, floor: null });
    expect(decideRelease(facts({ recipient: 'KH', receipts: [{ handlingCode: 'RED' }] }))).toEqual({
      allowed: true,
      floor: null,
    });
  });

  it('refuses a foreign person with no provenance (deny by default)', () => {
    expect(decideRelease(facts({}))).toEqual({ allowed: false, rule: 'NO-PROVENANCE', askable: false });
  });

  it('CLEAR goes anywhere', () => {
    expect(decideRelease(facts({ receipts: [{ handlingCode: 'CLEAR' }] }))).toEqual({
      allowed: true,
      floor: 'CLEAR',
    });
  });

  it('GREEN goes within a framework of holder and originator, elsewhere only with consent', () => {
    const green = [{ handlingCode: 'GREEN' as const }];
    expect(decideRelease(facts({ receipts: green, recipientInGreenCircle: true }))).toEqual({
      allowed: true,
      floor: 'GREEN',
    });
    expect(decideRelease(facts({ receipts: green }))).toEqual({
      allowed: false,
      rule: 'GREEN',
      askable: true,
    });
    expect(decideRelease(facts({ receipts: green, releaseGranted: true }))).toMatchObject({ allowed: true });
  });

  it('AMBER goes on only with the originator’s consent, and stays AMBER at least', () => {
    const amber = [{ handlingCode: 'AMBER' as const }];
    expect(decideRelease(facts({ receipts: amber, recipientInGreenCircle: true }))).toEqual({
      allowed: false,
      rule: 'AMBER',
      askable: true,
    });
    const granted = decideRelease(facts({ receipts: amber, releaseGranted: true }));
    expect(granted).toEqual({ allowed: true, floor: 'AMBER' });
    expect(carriedCode('CLEAR', granted as { floor: 'AMBER' })).toBe('AMBER');
  });

  it('AMBER+STRICT and RED never go on, whatever was granted', () => {
    for (const code of ['AMBER+STRICT', 'RED'] as const) {
      expect(
        decideRelease(
          facts({ receipts: [{ handlingCode: code }], releaseGranted: true, recipientInGreenCircle: true }),
        ),
      ).toEqual({ allowed: false, rule: code, askable: false });
    }
  });

  it('the least restrictive receipt decides', () => {
    expect(
      decideRelease(facts({ receipts: [{ handlingCode: 'RED' }, { handlingCode: 'CLEAR' }] })),
    ).toMatchObject({ allowed: true });
  });

  it('orders codes from CLEAR to RED', () => {
    expect(stricter('GREEN', 'AMBER')).toBe('AMBER');
    expect(stricter('RED', 'CLEAR')).toBe('RED');
    // A case view names the loosest receipt: the one the rule lets a person travel on.
    expect(looser('AMBER+STRICT', 'CLEAR')).toBe('CLEAR');
    expect(looser('RED', 'AMBER')).toBe('AMBER');
    expect(carriedCode('RED', { floor: null })).toBe('RED');
  });
});
