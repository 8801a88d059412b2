import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r33 (held): a repatriation's handover, seen by a third country the arrest was shared with.
 * KH arrests a Korean and shares the arrest with MY (GREEN). KH sends KR a repatriation request (AMBER,
 * not RED); KR accepts and schedules the flight, KH records the handover, KR confirms it. MY reads the
 * arrest (it was shared), so it sees the person go home: `custodyStatus` becomes `repatriated`. It must
 * not learn of the KH–KR request by it: the custody step shows the status only (no request id, reason,
 * actor or country), MY's auditor reads no event of the request or of KR's confirmation, and no read of
 * MY's names the request's id, reference, flight, escorts or handover place. README: "A custody history
 * step taken under a request the reader may not read … shows its status only" — asserted elsewhere for
 * a RED request only; here for an ordinary one, read by a country that is no side of it.
 */
type Page = { items: Array<{ action: string; actor: { country: string | null } }> };
/** The trail without MY's own probes and reads: its 404s and `audit.read` filters name the ids it asked for. */
const withoutOwnProbes = (page: Page) => ({
  ...page,
  items: page.items.filter(
    (e) => !(['access.denied', 'audit.read'].includes(e.action) && e.actor.country === 'MY'),
  ),
});

describe('Probe r33: a third country that reads a shared arrest does not read the repatriation that ends it', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  let requestId: string;
  let reference: string;
  const secrets = ['KE-R33-0417', 'Escort R33 Han', 'Gate R33', 'Receiver R33 Kim', 'handover confirmed'];

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo'); // with the multilateral body: KH may share with MY
    tf = await taskForce(t);
    arrestId = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'PARK R33 Homebound', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body.id;
    await tf['kh.liaison']
      .post(`/arrests/${arrestId}/shares`, { countryCode: 'MY', handlingCode: 'GREEN' })
      .expect(200);
    const accepted = await givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrestId], subject: 'Repatriation of one Korean national' })
      .accepted();
    requestId = accepted.id;
    reference = accepted.reference as string;
    const base = `/repatriation-requests/${requestId}`;
    const scheduled = (
      await tf['kr.officer']
        .post(`${base}/schedule`, {
          version: accepted.version,
          departureAt: '2027-01-01T01:00:00Z',
          departurePoint: 'PNH',
          arrivalPoint: 'ICN',
          carrier: 'KE',
          flightNumber: 'KE-R33-0417',
          sendingEscorts: ['Officer A'],
          receivingEscorts: ['Escort R33 Han'],
        })
        .expect(200)
    ).body;
    const handedOver = (
      await tf['kh.officer']
        .post(`${base}/handover`, {
          version: scheduled.version,
          handovers: [
            {
              arrestId,
              handedOverBy: 'Lt. Sok Dara',
              receivedBy: 'Receiver R33 Kim',
              handedOverAt: '2026-03-21T05:00:00Z',
              place: 'Gate R33, Phnom Penh airport',
            },
          ],
        })
        .expect(200)
    ).body;
    await tf['kr.officer']
      .post(`${base}/confirm-handover`, { version: handedOver.version, arrestIds: [arrestId] })
      .expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  it('control: KR reads the request, and the repatriated step names it', async () => {
    await tf['kr.officer'].get(`/repatriation-requests/${requestId}`).expect(200);
    const steps = (await tf['kr.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body;
    expect(steps).toContainEqual(expect.objectContaining({ toStatus: 'repatriated', requestId }));
    // Every string the next test looks for is there to be found on the sides' own reads.
    const kr = JSON.stringify([
      steps,
      (await tf['kr.officer'].get(`/repatriation-requests/${requestId}`).expect(200)).body,
      (await tf['kr.officer'].get(`/repatriation-requests/${requestId}/schedules`).expect(200)).body,
    ]);
    for (const secret of [requestId, reference, ...secrets]) expect(kr).toContain(secret);
  });

  it('MY sees the status change on the arrest it was given, and nothing of the request behind it', async () => {
    const arrest = (await tf['my.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    expect(arrest.custodyStatus).toBe('repatriated');
    const steps = (await tf['my.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body;
    const step = steps.find((s: { toStatus: string }) => s.toStatus === 'repatriated');
    expect(step).toMatchObject({ requestId: null, reason: null });
    expect(step.actorCountry ?? null).toBeNull();
    await tf['my.officer'].get(`/repatriation-requests/${requestId}`).expect(404);
    await tf['my.liaison'].get(`/repatriation-requests/${requestId}/schedules`).expect(404);
  });

  it("no read of MY's officer, liaison or auditor names the request, its plan or its handover", async () => {
    const reads: Array<[keyof TaskForce & string, string]> = [
      ['my.officer', `/arrests/${arrestId}`],
      ['my.officer', `/arrests/${arrestId}/custody`],
      ['my.officer', '/arrests?limit=200'],
      ['my.officer', '/repatriation-requests?limit=200'],
      ['my.liaison', '/notifications?limit=200'],
      ['my.officer', '/notifications?limit=200'],
      ['my.liaison', '/stats'],
      ['my.auditor', `/audit-events?recordType=arrest&recordId=${arrestId}&limit=200`],
      ['my.auditor', `/audit-events/timeline?recordType=arrest&recordId=${arrestId}&limit=200`],
      ['my.auditor', `/audit-events?recordType=request&recordId=${requestId}&limit=200`],
      ['my.auditor', '/audit-events?limit=200'],
    ];
    for (const [who, path] of reads) {
      const res = await (tf[who] as TaskForce['my.officer']).get(path);
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
      // MY's own 404s and audit reads name the id it asked for (the test before): its auditors read them.
      const text = JSON.stringify(path.startsWith('/audit-events') ? withoutOwnProbes(res.body) : res.body);
      for (const secret of [requestId, reference, ...secrets])
        expect({ path, names: text.includes(secret) ? secret : null }).toEqual({ path, names: null });
    }
    const trail = (
      await tf['my.auditor'].get(`/audit-events?recordType=arrest&recordId=${arrestId}&limit=200`).expect(200)
    ).body.items as Array<{ action: string; actor: { country: string | null } }>;
    expect(trail.map((e) => e.action)).toContain('arrest.share'); // MY reads the arrest's events
    expect(trail.filter((e) => e.action === 'arrest.custody.change')).toEqual([]);
    expect(trail.filter((e) => e.actor.country === 'KR')).toEqual([]);
  });
});
