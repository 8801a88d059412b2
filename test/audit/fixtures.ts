import type { CanonicalEventRow } from '../../src/audit/audit-canonical';

/** A plausible event row as the canonical serializer sees it. */
export function anEvent(overrides: Partial<CanonicalEventRow> = {}): CanonicalEventRow {
  return {
    id: '1',
    occurred_at: '2026-11-22T10:00:00.123456Z',
    tx_id: '740',
    actor_kind: 'user',
    actor_user_id: '7a0c1f7e-5a7e-4b7a-9d3c-2b1e0f9a8c7d',
    actor_username: 'kim.officer',
    actor_agency_id: null,
    actor_country: 'KR',
    actor_roles: ['officer'],
    action: 'case.create',
    outcome: 'success',
    record_type: 'case',
    record_id: 'KR-CASE-2026-000001',
    owner_country: 'KR',
    counterpart_country: null,
    changes: { after: { status: 'open', summary: 'Raid' }, before: null },
    details: null,
    request_id: 'req-1',
    source_ip: '10.0.0.1',
    user_agent: 'jest',
    ...overrides,
  };
}

export function auditorContext(countryCode: string, username = `auditor.${countryCode.toLowerCase()}`) {
  return {
    actor: {
      kind: 'user' as const,
      userId: '00000000-0000-4000-8000-000000000001',
      username,
      agencyId: null,
      countryCode,
      roles: ['auditor' as const],
    },
    requestId: 'test-request',
    sourceIp: '127.0.0.1',
    userAgent: 'jest',
  };
}

export function officerContext(countryCode: string, username = `officer.${countryCode.toLowerCase()}`) {
  return {
    actor: {
      kind: 'user' as const,
      userId: '00000000-0000-4000-8000-000000000002',
      username,
      agencyId: null,
      countryCode,
      roles: ['officer' as const],
    },
    requestId: 'test-request',
    sourceIp: '127.0.0.1',
    userAgent: 'jest',
  };
}
