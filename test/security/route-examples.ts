import { TEST_DEMO_PASSWORD } from '../support/demo-password';

/**
 * One valid example body per write route, for the security suites (matrix, mass assignment, fuzzing).
 * The fuzz suite fails on a JSON-body route missing here, so a new route cannot go unfuzzed.
 */
export interface ExampleContext {
  /** The current version of the record in the path (1 for routes without one). */
  version: number;
  frameworkId: string;
  /** The partner country of `frameworkId`. */
  partner: string;
  personId: string;
  /** A user of the caller's own country (an officer), for assignments. */
  officerId: string;
  agencyId: string;
  /** The caller's country (a new account's username starts with its code). */
  country?: string;
  arrestId: string;
  /** The country that is neither the caller's nor the partner. */
  thirdCountry?: string;
  /** A person of the partner's that the caller's country received under AMBER (for release requests). */
  receivedPersonId?: string;
}

const name = { full: 'SOK Dara', family: 'Sok', given: 'Dara', script: 'latin', kind: 'primary' };
const money = { amount: '100.00', currency: 'USD' };
const step = (c: ExampleContext) => ({ version: c.version, comment: 'security suite' });
const reasoned = (c: ExampleContext) => ({ version: c.version, reason: 'security suite' });
const message = () => ({ body: 'A message from the security suite.' });
const requestSteps = (base: string) => ({
  [`PATCH ${base}/{id}`]: (c: ExampleContext) => ({
    version: c.version,
    subject: 'Edited by the security suite',
  }),
  [`POST ${base}/{id}/submit`]: step,
  [`POST ${base}/{id}/approve`]: step,
  [`POST ${base}/{id}/return`]: step,
  [`POST ${base}/{id}/withdraw`]: step,
  [`POST ${base}/{id}/accept`]: step,
  [`POST ${base}/{id}/reject`]: reasoned,
  [`POST ${base}/{id}/close`]: step,
  [`POST ${base}/{id}/messages`]: message,
});

export const ROUTE_EXAMPLES: Record<string, (c: ExampleContext) => object> = {
  'POST /api/v1/auth/login': () => ({ username: 'kr.officer', password: TEST_DEMO_PASSWORD }),
  'POST /api/v1/auth/refresh': () => ({ refreshToken: 'not-a-refresh-token-the-api-issued' }),
  // A new password the policy refuses: the example never changes the suite caller's password.
  'POST /api/v1/auth/password': () => ({ currentPassword: 'not the current one', newPassword: 'short' }),
  // A code that is never right: the examples never turn a suite caller's second factor on or off.
  'POST /api/v1/auth/mfa/enrolment/confirm': () => ({ code: '000000', currentPassword: 'not-the-password' }),
  'DELETE /api/v1/auth/mfa': () => ({ code: '000000' }),
  'POST /api/v1/audit-events/verify': () => ({ fromSeq: 1, toSeq: 2 }),
  'POST /api/v1/users': (c) => ({
    username: `${(c.country ?? 'KR').toLowerCase()}.security.suite`,
    displayName: 'Security Suite',
    agencyId: c.agencyId,
    roles: ['officer'],
    password: 'a long enough passphrase for tests 42',
  }),
  'PATCH /api/v1/users/{id}': (c) => ({ version: c.version, displayName: 'Renamed by the suite' }),
  'POST /api/v1/users/{id}/reset-password': () => ({ newPassword: 'another long passphrase for tests 43' }),
  'POST /api/v1/users/{id}/role-changes': (c) => ({ version: c.version, roles: ['officer'] }),
  'POST /api/v1/countries': () => ({ code: 'ZZ', name: 'Zedland' }),
  'POST /api/v1/agencies': () => ({ countryCode: 'KR', name: 'Security Suite Agency' }),
  'POST /api/v1/frameworks': () => ({
    name: 'Suite framework',
    members: ['KR', 'KH'],
    validFrom: '2026-01-01',
  }),
  'PATCH /api/v1/frameworks/{id}': () => ({ active: true }),
  'PUT /api/v1/frameworks/{id}/members/{countryCode}': () => ({ joinedOn: '2026-03-01' }),
  'POST /api/v1/persons': () => ({ names: [name], nationalities: ['KH'] }),
  'PATCH /api/v1/persons/{id}': (c) => ({ version: c.version, names: [name] }),
  'POST /api/v1/cases': () => ({ title: 'Security suite case' }),
  'PATCH /api/v1/cases/{id}': (c) => ({ version: c.version, title: 'Renamed by the suite' }),
  'POST /api/v1/cases/{id}/persons': (c) => ({ persons: [{ personId: c.personId, role: 'suspect' }] }),
  'POST /api/v1/cases/{id}/shares': (c) => ({ countryCode: c.partner }),
  'POST /api/v1/information-requests': (c) => ({
    frameworkId: c.frameworkId,
    targetCountry: c.partner,
    priority: 'routine',
    handlingCode: 'AMBER',
    subject: 'Security suite request',
    questions: ['Who holds +85512345678?'],
  }),
  ...requestSteps('/api/v1/information-requests'),
  // An information request's draft takes its own fields too: its persons go through the release rule.
  'PATCH /api/v1/information-requests/{id}': (c) => ({
    version: c.version,
    subject: 'Edited by the security suite',
    questions: ['Who else uses this phone?'],
    personIds: [c.personId],
  }),
  'POST /api/v1/release-requests': (c) => ({
    frameworkId: c.frameworkId,
    targetCountry: c.partner,
    recipientCountry: c.thirdCountry,
    priority: 'routine',
    handlingCode: 'AMBER',
    subject: 'May this person go on?',
    personIds: [c.receivedPersonId ?? c.personId],
  }),
  ...requestSteps('/api/v1/release-requests'),
  // The draft's persons as drafted: the walk edits the subject and checks the list again.
  'PATCH /api/v1/release-requests/{id}': (c) => ({
    version: c.version,
    subject: 'Edited by the security suite',
    personIds: [c.receivedPersonId ?? c.personId],
  }),
  'POST /api/v1/release-requests/{id}/fulfil': step,
  'POST /api/v1/information-requests/{id}/assign': (c) => ({ version: c.version, assigneeId: c.officerId }),
  'POST /api/v1/information-requests/{id}/fulfil': (c) => ({
    version: c.version,
    findings: { summary: 'Registered to a nominee.' },
  }),
  'POST /api/v1/blacklist-entries': (c) => ({
    frameworkId: c.frameworkId,
    banningCountry: c.partner,
    entry: {
      person: { names: [name], nationalities: ['KR'] },
      grounds: 'Recruiter.',
      groundsSummary: 'Recruiter',
    },
  }),
  'POST /api/v1/blacklist-entries/batch': (c) => ({
    frameworkId: c.frameworkId,
    banningCountry: c.partner,
    entries: [
      {
        person: { names: [name], nationalities: ['KR'] },
        grounds: 'Recruiter.',
        groundsSummary: 'Recruiter',
      },
    ],
  }),
  // An entry no caller can see: the batch answers 404 on its merits (the matrix checks who may call it).
  'POST /api/v1/blacklist-entries/activate': () => ({
    entries: [{ id: '00000000-0000-4000-8000-00000000b1ac', version: 1 }],
    legalBasis: 'Immigration Act s. 12',
    expiresOn: '2030-12-31',
  }),
  'POST /api/v1/blacklist-entries/{id}/activate': (c) => ({
    version: c.version,
    legalBasis: 'Immigration Act s. 12',
    expiresOn: '2030-12-31',
  }),
  'POST /api/v1/blacklist-entries/{id}/reject': reasoned,
  'POST /api/v1/blacklist-entries/{id}/lift': reasoned,
  'POST /api/v1/blacklist-entries/{id}/extend': (c) => ({
    version: c.version,
    expiresOn: '2031-12-31',
    reason: 'security suite',
  }),
  'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/accept': step,
  'POST /api/v1/blacklist-entries/{id}/amendments/{amendmentId}/reject': step,
  ...requestSteps('/api/v1/blacklist-proposals'),
  'POST /api/v1/blacklist-proposals/{id}/fulfil': step,
  'POST /api/v1/screenings': () => ({ checkpoint: 'ICN-T1-ARR', names: [{ full: 'Kim Min-jun' }] }),
  'POST /api/v1/identifier-checks': (c) => ({
    partners: [c.partner],
    identifiers: [{ kind: 'phone', value: '+85512345678' }],
  }),
  'POST /api/v1/identifier-checks/{id}/follow-ups': (c) => ({ partnerCountry: c.partner, position: 0 }),
  'PUT /api/v1/identifier-checks/settings/{frameworkId}': () => ({ autoAnswer: true }),
  'POST /api/v1/screenings/{id}/candidates/{candidateId}/decision': () => ({
    decision: 'cleared',
    reason: 'x',
  }),
  'POST /api/v1/webhooks': () => ({
    url: 'https://example.org/hook',
    eventTypes: ['request.inbound'],
    secret: 'a-webhook-secret-of-at-least-32-characters',
  }),
  'POST /api/v1/asset-freeze-requests': (c) => ({
    frameworkId: c.frameworkId,
    targetCountry: c.partner,
    priority: 'routine',
    handlingCode: 'AMBER',
    subject: 'Security suite freeze',
    targets: [
      {
        type: 'bank_account',
        institutionName: 'ABA Bank',
        institutionCode: 'ABAAKHPP',
        accountNumber: '000123456',
        holderName: 'SOK Dara',
        borrowedName: false,
        amountSought: money,
        grounds: { summary: 'Proceeds of a scam' },
      },
    ],
  }),
  ...requestSteps('/api/v1/asset-freeze-requests'),
  'POST /api/v1/asset-freeze-requests/{id}/assign': (c) => ({ version: c.version, assigneeId: c.officerId }),
  'POST /api/v1/asset-freeze-requests/{id}/fulfil': step,
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/freeze': (c) => ({
    version: c.version,
    outcome: 'frozen',
    amount: money,
  }),
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/recover': (c) => ({
    version: c.version,
    amount: money,
    disposition: 'seized',
  }),
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/return': (c) => ({
    version: c.version,
    amount: money,
    recipient: { name: 'A victim' },
    decision: 'Court order 2026-1',
  }),
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/release': (c) => ({
    version: c.version,
    amount: money,
    reason: 'security suite',
  }),
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/close-out': reasoned,
  'POST /api/v1/arrests': (c) => ({
    arrestedAt: '2026-03-01T02:30:00Z',
    place: 'Golden Fortune compound',
    grounds: 'Online fraud',
    arrestingAgency: 'Police',
    nationality: c.partner,
    person: { names: [name] },
  }),
  'POST /api/v1/arrests/batch': (c) => ({
    arrests: [
      {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: c.partner,
        person: { names: [name] },
      },
    ],
  }),
  'PATCH /api/v1/arrests/{id}': (c) => ({ version: c.version, place: 'A compound, corrected by the suite' }),
  'POST /api/v1/arrests/{id}/custody': (c) => ({ version: c.version, status: 'charged', reason: 'x' }),
  'POST /api/v1/arrests/{id}/shares': (c) => ({ countryCode: c.partner }),
  'POST /api/v1/attachments/{id}/withdraw': () => ({ reason: 'security suite' }),
  'POST /api/v1/repatriation-requests': (c) => ({
    frameworkId: c.frameworkId,
    targetCountry: c.partner,
    priority: 'routine',
    handlingCode: 'AMBER',
    subject: 'Security suite repatriation',
    arrestIds: [c.arrestId],
  }),
  ...requestSteps('/api/v1/repatriation-requests'),
  // The draft's arrests as drafted: the walk edits the subject and checks the list again.
  'PATCH /api/v1/repatriation-requests/{id}': (c) => ({
    version: c.version,
    subject: 'Edited by the security suite',
    arrestIds: [c.arrestId],
  }),
  'POST /api/v1/repatriation-requests/{id}/schedule': (c) => ({
    version: c.version,
    departureAt: '2027-01-01T01:00:00Z',
    departurePoint: 'PNH',
    arrivalPoint: 'ICN',
    carrier: 'KE',
    sendingEscorts: ['Officer A'],
    receivingEscorts: ['Officer B'],
  }),
  'POST /api/v1/repatriation-requests/{id}/handover': (c) => ({
    version: c.version,
    handovers: [
      {
        arrestId: c.arrestId,
        handedOverBy: 'Officer A',
        receivedBy: 'Officer B',
        handedOverAt: '2026-03-21T05:00:00Z',
        place: 'ICN',
      },
    ],
  }),
  'POST /api/v1/repatriation-requests/{id}/confirm-handover': (c) => ({
    version: c.version,
    arrestIds: [c.arrestId],
  }),
  'POST /api/v1/repatriation-requests/{id}/drop': (c) => ({
    version: c.version,
    arrestId: c.arrestId,
    reason: 'released',
  }),
  'POST /api/v1/repatriation-requests/{id}/fulfil': step,
};

/**
 * Routes whose body is not JSON: the content type and bodies the fuzz suite sends them, each with
 * something a route must refuse (a NUL, a control character, broken quoting).
 */
/** Attachment uploads: bytes of no allowed type, control bytes, and a filename that is a path. */
const ATTACHMENT_UPLOAD = {
  contentType: 'application/octet-stream',
  headers: { 'X-Filename': encodeURIComponent('../../etc/passwd\u0000.pdf') },
  hostile: ['\u0000\u0001\u0002\u0003', 'MZ\u0090\u0000\u0003\u0000\u0000\u0000', '%PDF-1.7\n%%EOF\n', ''],
};

export const RAW_BODY_EXAMPLES: Record<
  string,
  { contentType: string; hostile: string[]; headers?: Record<string, string> }
> = {
  'POST /api/v1/cases/{id}/attachments': ATTACHMENT_UPLOAD,
  'POST /api/v1/persons/{id}/attachments': ATTACHMENT_UPLOAD,
  'POST /api/v1/information-requests/{id}/attachments': ATTACHMENT_UPLOAD,
  'POST /api/v1/arrests/{id}/attachments': ATTACHMENT_UPLOAD,
  'POST /api/v1/asset-freeze-requests/{id}/targets/{targetId}/attachments': ATTACHMENT_UPLOAD,
  'POST /api/v1/blacklist-entries/{id}/attachments': ATTACHMENT_UPLOAD,
  'POST /api/v1/arrests/import': {
    contentType: 'text/csv; charset=utf-8',
    hostile: [
      'arrested_at,place,grounds,arresting_agency,nationality,full_name\r\n2026-03-01T02:30:00Z,Block\u0000C,Fraud,Police,KH,SOK Dara\r\n',
      'arrested_at,place,grounds,arresting_agency,nationality,full_name\r\n2026-03-01T02:30:00Z,Block C,Fraud\u0007,Police,KH,SOK Dara\r\n',
      'arrested_at,place,grounds,arresting_agency,nationality,full_name\r\n2026-03-01T02:30:00Z,"unterminated,Fraud,Police,KH,SOK\r\n',
      'arrested_at\u0000,place\r\n',
      'arrested_at,place,grounds,arresting_agency,nationality,full_name\r\n2026-03-01T02:30:00Z,Block C,Fraud,Police,KH,' +
        'ﷺ'.repeat(300) +
        '\r\n',
    ],
  },
};
