import {
  applyCloseOut,
  applyFreeze,
  applyRecover,
  applyRelease,
  applyReturn,
  emptyLedger,
  isFinal,
  LedgerViolation,
  nextSteps,
  stillFrozen,
  TargetLedger,
} from './freeze-ledger';
import { formatAmount, Money } from './money';

const m = (s: string) => new Money(s);
const show = (l: TargetLedger) => ({
  outcome: l.outcome,
  frozen: formatAmount(l.frozen),
  recovered: formatAmount(l.recovered),
  returned: formatAmount(l.returned),
  released: formatAmount(l.released),
  stillFrozen: formatAmount(stillFrozen(l)),
  final: isFinal(l),
});

describe('freeze ledger', () => {
  it('refuses a further freeze that would make the frozen total longer than 20 integer digits', () => {
    const largest = m('99999999999999999999.99');
    const l = applyFreeze(emptyLedger(), 'frozen', largest);
    expect(() => applyFreeze(l, 'frozen', m('0.01'))).toThrow(LedgerViolation);
    expect(
      formatAmount(
        applyFreeze(applyFreeze(emptyLedger(), 'frozen', m('99999999999999999999')), 'frozen', m('0.99'))
          .frozen,
      ),
    ).toBe('99999999999999999999.99');
  });

  it('keeps returned + released + still frozen = frozen, exactly', () => {
    let l = applyFreeze(emptyLedger(), 'frozen', m('0.1'));
    l = applyFreeze(l, 'frozen', m('0.2'));
    l = applyRecover(l, m('0.3'));
    l = applyReturn(l, m('0.1'));
    expect(show(l)).toEqual({
      outcome: 'frozen',
      frozen: '0.3',
      recovered: '0.3',
      returned: '0.1',
      released: '0',
      stillFrozen: '0.2',
      final: false,
    });
    l = applyRelease(l, m('0.2'));
    expect(show(l)).toMatchObject({ stillFrozen: '0', final: true });
    expect(nextSteps(l)).toEqual([]);
  });

  it('refuses to return or release more than is still frozen, or to recover more than was frozen', () => {
    const l = applyFreeze(emptyLedger(), 'frozen', m('9007199254740993'));
    expect(() => applyReturn(l, m('9007199254740994'))).toThrow(LedgerViolation);
    expect(() => applyRecover(l, m('9007199254740994'))).toThrow(/more than the 9007199254740993 frozen/);
    const returned = applyReturn(applyRecover(l, m('9007199254740993')), m('9007199254740993'));
    expect(isFinal(returned)).toBe(true);
    expect(() => applyRelease(returned, m('1'))).toThrow(LedgerViolation);
    expect(() => applyFreeze(returned, 'frozen', m('1'))).toThrow(/already returned or released/);
  });

  it('needs a freeze before anything else; not_found and funds_moved are final and come only first', () => {
    expect(() => applyReturn(emptyLedger(), m('1'))).toThrow(/record the freeze/);
    expect(() => applyCloseOut(emptyLedger())).toThrow(LedgerViolation);
    expect(() => applyFreeze(emptyLedger(), 'frozen', null)).toThrow(/needs the amount/);
    expect(() => applyFreeze(emptyLedger(), 'not_found', m('5'))).toThrow(/freezes no amount/);
    const moved = applyFreeze(emptyLedger(), 'funds_moved', null);
    expect(isFinal(moved)).toBe(true);
    expect(() => applyFreeze(moved, 'frozen', m('1'))).toThrow(/funds_moved/);
    const frozen = applyFreeze(emptyLedger(), 'frozen', m('1'));
    expect(() => applyFreeze(frozen, 'not_found', null)).toThrow(/already has the outcome/);
    expect(nextSteps(emptyLedger())).toEqual(['freeze']);
    expect(nextSteps(frozen)).toEqual(['freeze', 'recover', 'release', 'closeOut']);
    expect(nextSteps(applyRecover(frozen, m('1')))).toEqual(['freeze', 'return', 'release', 'closeOut']);
  });

  it('refuses to return to victims more than was ever recovered', () => {
    let l = applyRecover(applyFreeze(emptyLedger(), 'frozen', m('100')), m('40'));
    expect(() => applyReturn(l, m('40.01'))).toThrow(
      /only 40 was recovered, of which 40 is not yet returned/,
    );
    l = applyReturn(l, m('30'));
    expect(() => applyReturn(l, m('10.5'))).toThrow(/of which 10 is not yet returned/);
    expect(show(applyReturn(l, m('10')))).toMatchObject({
      recovered: '40',
      returned: '40',
      stillFrozen: '60',
    });
    expect(() => applyReturn(applyFreeze(emptyLedger(), 'frozen', m('5')), m('1'))).toThrow(
      /only 0 was recovered/,
    );
  });

  it('a close-out makes a target final with funds still frozen, and ends its steps', () => {
    const l = applyCloseOut(applyRecover(applyFreeze(emptyLedger(), 'frozen', m('100')), m('100')));
    expect(show(l)).toMatchObject({ stillFrozen: '100', recovered: '100', final: true });
    expect(() => applyReturn(l, m('1'))).toThrow(/closed out/);
  });
});
