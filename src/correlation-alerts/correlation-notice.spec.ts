import { correlationNotice, identifierOfKey, type CorrelationFacts } from './correlation-notice';

const facts = (over: Partial<CorrelationFacts> = {}): CorrelationFacts => ({
  caseId: 'c1',
  caseReference: 'KR-CASE-2026-000007',
  matchKey: 'bank_account:000123456',
  recordType: 'request',
  recordId: 'r1',
  recordKind: 'asset_freeze',
  recordReference: 'KH-KR-AFR-2026-000003',
  fromCountry: 'KH',
  field: 'target',
  ...over,
});

describe('correlation notice', () => {
  it('reads the identifier from its match key, a passport with its issuing country', () => {
    expect(identifierOfKey('phone:+85512345678')).toEqual({
      kind: 'phone',
      value: '+85512345678',
      qualifier: null,
    });
    expect(identifierOfKey('passport:KH:N0112233')).toEqual({
      kind: 'passport',
      value: 'N0112233',
      qualifier: 'KH',
    });
    expect(identifierOfKey('web:golden.example/join')).toEqual({
      kind: 'web',
      value: 'golden.example/join',
      qualifier: null,
    });
    expect(identifierOfKey('compound:golden fortune: block b')).toEqual({
      kind: 'compound',
      value: 'golden fortune: block b',
      qualifier: null,
    });
  });

  it('names an arrest shared with the country by its day and place, and which part of it matched', () => {
    const notice = correlationNotice(
      facts({
        matchKey: 'phone:+85512345678',
        recordType: 'arrest',
        recordKind: 'arrest',
        recordReference: '2026-11-20, Jin Bei compound',
        field: 'person.phones',
      }),
    );
    expect(notice.message).toBe(
      "The phone number +85512345678 of case KR-CASE-2026-000007 is in KH's arrest record 2026-11-20, Jin Bei compound.",
    );
    expect(notice.record).toEqual(
      expect.objectContaining({ type: 'arrest', kind: 'arrest', part: 'person' }),
    );
    expect(
      correlationNotice(facts({ recordType: 'arrest', recordKind: 'arrest', field: 'place' })).record,
    ).toEqual(expect.objectContaining({ part: 'place' }));
  });

  it('names a received request by its reference and the country that sent it', () => {
    expect(correlationNotice(facts())).toEqual({
      caseId: 'c1',
      caseReference: 'KR-CASE-2026-000007',
      identifier: { kind: 'bank_account', value: '000123456', qualifier: null },
      record: {
        type: 'request',
        id: 'r1',
        kind: 'asset_freeze',
        reference: 'KH-KR-AFR-2026-000003',
        fromCountry: 'KH',
        part: 'freeze_target',
      },
      message:
        "The account 000123456 of case KR-CASE-2026-000007 is in KH's freeze request KH-KR-AFR-2026-000003.",
    });
  });

  it('names findings on the country’s own request by the country that answered', () => {
    const notice = correlationNotice(
      facts({
        matchKey: 'passport:TH:AA1234567',
        recordKind: 'information',
        recordReference: 'KR-TH-INF-2026-000001',
        fromCountry: 'TH',
        field: 'findings.identifiers.phones',
      }),
    );
    expect(notice.record).toMatchObject({ fromCountry: 'TH', part: 'findings' });
    expect(notice.message).toBe(
      "The passport AA1234567 (TH) of case KR-CASE-2026-000007 is in TH's answer to information request KR-TH-INF-2026-000001.",
    );
  });

  it('names a shared case by the share reference the country reads', () => {
    const notice = correlationNotice(
      facts({
        recordType: 'case',
        recordId: 'c9',
        recordKind: 'case',
        recordReference: 'KH-KR-CASE-2026-000002',
        field: 'persons.phones',
        matchKey: 'phone:+85512345678',
      }),
    );
    expect(notice.record).toEqual({
      type: 'case',
      id: 'c9',
      kind: 'case',
      reference: 'KH-KR-CASE-2026-000002',
      fromCountry: 'KH',
      part: 'persons',
    });
    expect(notice.message).toBe(
      "The phone number +85512345678 of case KR-CASE-2026-000007 is in KH's shared case KH-KR-CASE-2026-000002.",
    );
  });

  it('says which part of the record carries it', () => {
    const part = (field: string) => (correlationNotice(facts({ field })).record as { part: string }).part;
    expect(part('identifiers.urls')).toBe('identifiers');
    expect(part('target')).toBe('freeze_target');
    expect(part('persons.phones')).toBe('persons');
    expect(part('findings.persons.documents')).toBe('findings');
    expect(part('findings.identifiers.phones')).toBe('findings');
  });

  it('names nothing but its own case, the identifier and the record as the country reads it', () => {
    const notice = correlationNotice(facts({ field: 'identifiers.phones', matchKey: 'phone:+66812345678' }));
    expect(Object.keys(notice).sort()).toEqual([
      'caseId',
      'caseReference',
      'identifier',
      'message',
      'record',
    ]);
    expect(Object.keys(notice.record as object).sort()).toEqual([
      'fromCountry',
      'id',
      'kind',
      'part',
      'reference',
      'type',
    ]);
  });
});
