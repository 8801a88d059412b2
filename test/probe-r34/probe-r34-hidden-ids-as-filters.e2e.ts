import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r34 (held): ids of records KR may not read, given as filters — a KH raid's id on
 * `GET /arrests?raidId=`, a KH case on the freeze and repatriation lists' `caseId` (probe r17 asked the
 * information-request list only), KH's case, person, arrest and unsent request on the audit timeline
 * and export (`recordId`) — answer exactly as an id that never existed, for KR's officer, liaison and
 * auditor: same status, same body once the id asked for is taken out.
 */

/**
 * What the caller can compare: status, content type and body, without the id it asked for, times, event
 * ids, request ids and seals (the auditor's own reads are events of the trail it reads, sealed when the
 * sealer comes by).
 */
function answerOf(res: Response, id: string): unknown {
  const { instance: _instance, requestId: _requestId, ...body } = (res.body ?? {}) as Record<string, unknown>;
  const text = (res.headers['content-type'] ?? '').includes('json') ? JSON.stringify(body) : res.text;
  return {
    status: res.status,
    type: String(res.headers['content-type']),
    body: text
      .split(id)
      .join('<id>')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
      .replace(/evt_[\w-]+/g, '<event>')
      .replace(/"requestId":"[^"]*"/g, '"requestId":"<request>"')
      .replace(/"seal":(null|\{[^}]*\})/g, '"seal":"<seal>"'),
  };
}

describe('Probe r34: a hidden record’s id as a filter answers as an id that never existed', () => {
  let t: TestApp;
  let tf: TaskForce;
  const hidden: Record<'raid' | 'case' | 'person' | 'arrest' | 'request', string> = {
    raid: '',
    case: '',
    person: '',
    arrest: '',
    request: '',
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const kh = tf['kh.officer'];
    hidden.person = (
      await kh
        .post('/persons', {
          names: [{ full: 'CHEA R34 Hidden', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body.id;
    hidden.case = (
      await kh
        .post('/cases', { title: 'KH internal R34', persons: [{ personId: hidden.person, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    const raid = (
      await kh
        .post('/arrests/batch', {
          arrests: [
            {
              arrestedAt: '2026-03-04T02:30:00Z',
              place: 'Bavet',
              grounds: 'Online fraud',
              arrestingAgency: 'Cambodian National Police',
              nationality: 'KR',
              caseId: hidden.case,
              personId: hidden.person,
            },
          ],
        })
        .expect(201)
    ).body;
    hidden.raid = raid.raidId;
    hidden.arrest = raid.rows[0].arrestId;
    // A repatriation request to KR for that arrest, drafted and never sent, in KH's case.
    hidden.request = (
      await givenIn(tf)
        .aRequest('repatriation')
        .from('KH')
        .sentTo('KR')
        .with({ arrestIds: [hidden.arrest], caseId: hidden.case, subject: 'R34 draft' })
        .drafted()
    ).id;
  }, 120_000);
  afterAll(() => t?.close());

  /**
   * `who` asks `path(id)` for the hidden id and for `never`, an id that never existed; the answers must
   * match. Reads of one record share one `never`: the auditor's own earlier reads of an id are events of
   * the trail it then reads, for both ids alike.
   */
  async function alike(
    who: SignedIn,
    id: string,
    path: (id: string) => string,
    status?: number,
    never = randomUUID(),
  ) {
    const seen = answerOf(await who.get(path(id)), id);
    const none = answerOf(await who.get(path(never)), never);
    expect({ path: path('<id>'), user: who.username, ...(seen as object) }).toEqual({
      path: path('<id>'),
      user: who.username,
      ...(none as object),
    });
    if (status !== undefined) expect((none as { status: number }).status).toBe(status);
  }

  it('list filters: raidId, personId and caseId of KH’s records', async () => {
    for (const who of [tf['kr.officer'], tf['kr.liaison']]) {
      await alike(who, hidden.raid, (id) => `/arrests?raidId=${id}`, 200);
      await alike(who, hidden.person, (id) => `/arrests?personId=${id}`);
      await alike(who, hidden.case, (id) => `/asset-freeze-requests?caseId=${id}`);
      await alike(who, hidden.case, (id) => `/repatriation-requests?caseId=${id}`);
      await alike(who, hidden.case, (id) => `/blacklist-proposals?caseId=${id}`);
      await alike(who, hidden.case, (id) => `/release-requests?caseId=${id}`);
    }
  });

  it('the audit timeline and export of KH’s records, for KR’s auditor', async () => {
    // Control: each hidden record has events, which KH's auditor reads.
    for (const [type, id] of [
      ['case', hidden.case],
      ['arrest', hidden.arrest],
      ['request', hidden.request],
    ] as const) {
      const own = await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=${type}&recordId=${id}`)
        .expect(200);
      expect(own.body.items.length).toBeGreaterThan(0);
    }
    const auditor = tf['kr.auditor'];
    for (const [type, id] of [
      ['case', hidden.case],
      ['person', hidden.person],
      ['arrest', hidden.arrest],
      ['request', hidden.request],
    ] as const) {
      const never = randomUUID();
      await alike(auditor, id, (x) => `/audit-events/timeline?recordType=${type}&recordId=${x}`, 200, never);
      await alike(auditor, id, (x) => `/audit-events?recordType=${type}&recordId=${x}`, 200, never);
      await alike(auditor, id, (x) => `/audit-events/export?recordId=${x}`, 200, never);
    }
  });
});
