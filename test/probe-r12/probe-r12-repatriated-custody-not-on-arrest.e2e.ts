import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface AuditEventView {
  action: string;
  recordType: string;
  recordId: string | null;
  changes: { before?: Record<string, unknown>; after?: Record<string, unknown> } | null;
}

/**
 * Probe (round 12): an arrest's custody status changed by a repatriation is not in the arrest's audit
 * history. KH arrests a Korean national and sends KR a repatriation request for that arrest; KR accepts,
 * KH records the handover and KR confirms it: the arrest's custody status becomes `repatriated`
 * (`GET /arrests/:id` says so). KH's auditor reads the arrest's history
 * (`GET /audit-events?recordType=arrest&recordId=<arrest>` and `/audit-events/timeline`): no custody
 * change is there. src/repatriations/repatriation-handover.service.ts `markRepatriated` updates every
 * confirmed arrest's `custody_status` (and version) but writes one `arrest.custody.change` event with
 * no `recordId` and the ids in `details.arrestIds`, and no `before` status: a record-id filter, the
 * timeline, never finds it. The same change made by an officer (`POST /arrests/:id/custody`,
 * src/arrests/arrests.service.ts `changeCustody`) is an event on the arrest with its before and after.
 * Fix: in `markRepatriated`, one `arrest.custody.change` event per arrest (`recordId` the arrest,
 * `before: { custodyStatus }` from its row, `after: { custodyStatus: 'repatriated' }`, `details: { requestId }`),
 * in the same transaction as now.
 */
describe('Probe r12: an arrest repatriated by a confirmed handover has no custody change in its audit history', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let custodyStatus: string;
  let listed: AuditEventView[];
  let timeline: AuditEventView[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'PARK Handedover', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    const accepted = await givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrestId], subject: 'Repatriation of one Korean national' })
      .accepted();
    const base = `/repatriation-requests/${accepted.id}`;
    const handedOver = (
      await tf['kh.officer']
        .post(`${base}/handover`, {
          version: accepted.version,
          handovers: [
            {
              arrestId,
              handedOverBy: 'Lt. Sok Dara',
              receivedBy: 'Insp. Park Ji-hoon',
              handedOverAt: '2026-03-21T05:00:00Z',
              place: 'Incheon International Airport, gate 12',
            },
          ],
        })
        .expect(200)
    ).body;
    await tf['kr.officer']
      .post(`${base}/confirm-handover`, { version: handedOver.version, arrestIds: [arrestId] })
      .expect(200);
    custodyStatus = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body.custodyStatus;
    listed = (
      await tf['kh.auditor'].get(`/audit-events?recordType=arrest&recordId=${arrestId}&limit=200`).expect(200)
    ).body.items;
    timeline = (
      await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=arrest&recordId=${arrestId}&limit=200`)
        .expect(200)
    ).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('the arrest is repatriated', () => {
    expect(custodyStatus).toBe('repatriated');
  });

  it("KH's auditor reads the change to repatriated in the arrest's events", () => {
    const change = listed.find((e) => e.action === 'arrest.custody.change');
    expect(change?.changes).toMatchObject({
      before: { custodyStatus: 'detained' },
      after: { custodyStatus: 'repatriated' },
    });
  });

  it("and in the arrest's timeline", () => {
    expect(timeline.map((e) => e.action)).toContain('arrest.custody.change');
  });
});
