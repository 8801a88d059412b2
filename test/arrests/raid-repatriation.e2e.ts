import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { signIn, SignedIn } from '../support/http';
import { importCsv, listAll, RAID_MIX, raidCsv } from './raid-fixtures';

interface Arrest {
  id: string;
  nationality: string;
  custodyStatus: string;
  person: { id: string; names: Array<{ full: string; script: string }> };
}

describe('A raid of 230 and the repatriation of its 64 Koreans (KH → KR)', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const base = '/repatriation-requests';
  const act = (who: SignedIn, id: string, action: string, version: number, extra: object = {}) =>
    who.post(`${base}/${id}/${action}`, { version, ...extra });

  it('KR sees nothing until KH sends the request; both sides sign off; 64 repatriated, request fulfilled', async () => {
    // KH imports the raid as CSV.
    const imported = await importCsv(t.server, tf['kh.officer'], raidCsv()).expect(201);
    expect(imported.body.recorded).toBe(230);
    expect(imported.body.byNationality).toEqual(
      Object.fromEntries([...RAID_MIX].sort(([a], [b]) => a.localeCompare(b))),
    );
    expect(imported.body.rows).toHaveLength(230);
    const raidId = imported.body.raidId as string;

    const khArrests = await listAll<Arrest>(tf['kh.officer'], `/arrests?raidId=${raidId}`);
    expect(khArrests).toHaveLength(230);
    const korean = khArrests.filter((a) => a.nationality === 'KR');
    expect(korean).toHaveLength(64);
    const kim = korean.find((a) => a.person.names[0]!.full === '김민준')!;
    expect(kim.person.names).toEqual([
      { full: '김민준', script: 'hangul', kind: 'primary' },
      { full: 'KIM Min-jun', script: 'latin', kind: 'alias' },
    ]);
    expect(khArrests.find((a) => a.nationality === 'KH')!.person.names[0]!.script).toBe('khmer');
    expect(khArrests.find((a) => a.nationality === 'TH')!.person.names[0]!.script).toBe('thai');

    // KR sees none of them, neither the arrests nor the persons.
    expect((await tf['kr.officer'].get('/arrests').expect(200)).body.items).toEqual([]);
    await tf['kr.officer'].get(`/arrests/${kim.id}`).expect(404);
    await tf['kr.liaison'].get(`/persons/${kim.person.id}`).expect(404);

    // KH drafts, submits and approves the request for the 64: still invisible to KR until sent.
    const draft = await tf['kh.officer']
      .post(base, {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Repatriation of 64 Korean nationals arrested in the Golden Fortune raid',
        arrestIds: korean.map((a) => a.id),
      })
      .expect(201);
    expect(draft.body).toMatchObject({
      reference: null,
      draftId: expect.stringMatching(/^DRAFT-[0-9A-F]{8}$/),
      sendingCountry: 'KH',
      receivingCountry: 'KR',
      counts: { requested: 64, pending: 64, handedOver: 0, dropped: 0, awaitingConfirmation: 0 },
    });
    const id = draft.body.id as string;
    const submitted = await act(tf['kh.officer'], id, 'submit', draft.body.version).expect(200);
    await tf['kr.officer'].get(`/arrests/${kim.id}`).expect(404);
    await tf['kr.liaison'].get(`${base}/${id}`).expect(404);
    const sent = await act(tf['kh.liaison'], id, 'approve', submitted.body.version).expect(200);
    // Sent: numbered per pair, kind and year.
    expect(sent.body.reference).toMatch(/^KH-KR-REP-\d{4}-\d{6}$/);

    // From `sent` on KR sees exactly its 64 nationals, and no one else of the raid.
    const krView = await listAll<Arrest>(tf['kr.officer'], '/arrests');
    expect(krView.map((a) => a.id).sort()).toEqual(korean.map((a) => a.id).sort());
    expect((await tf['kr.officer'].get(`/arrests/${kim.id}`).expect(200)).body).toMatchObject({
      arrestingCountry: 'KH',
      caseId: null,
      sharedWith: [],
    });
    await tf['kr.liaison'].get(`/persons/${kim.person.id}`).expect(200);
    const other = khArrests.find((a) => a.nationality === 'VN')!;
    await tf['kr.officer'].get(`/arrests/${other.id}`).expect(404);
    await tf['my.officer'].get(`/arrests/${kim.id}`).expect(404);

    // KR accepts and schedules (then re-schedules: the earlier plan is kept).
    const inbound = await tf['kr.liaison'].get(`${base}/${id}`).expect(200);
    expect(inbound.body).toMatchObject({ direction: 'inbound', allowedActions: ['accept', 'reject'] });
    const accepted = await act(tf['kr.liaison'], id, 'accept', sent.body.version).expect(200);
    const plan = {
      departureAt: '2026-03-20T01:00:00Z',
      departurePoint: 'Phnom Penh International Airport',
      arrivalPoint: 'Incheon International Airport',
      carrier: 'Korean Air (charter)',
      flightNumber: 'KE9688',
      sendingEscorts: ['Lt. Sok Dara', 'Sgt. Chan Vichea'],
      receivingEscorts: ['Insp. Park Ji-hoon', 'Sgt. Lee Su-bin'],
    };
    const scheduled = await act(tf['kr.officer'], id, 'schedule', accepted.body.version, plan).expect(200);
    const rescheduled = await act(tf['kh.officer'], id, 'schedule', scheduled.body.version, {
      ...plan,
      departureAt: '2026-03-21T01:00:00Z',
      flightNumber: 'KE9690',
    }).expect(200);
    expect(rescheduled.body.schedule).toMatchObject({ flightNumber: 'KE9690', scheduledByCountry: 'KH' });
    const plans = (await tf['kr.officer'].get(`${base}/${id}/schedules`).expect(200)).body;
    expect(plans.map((p: { flightNumber: string }) => p.flightNumber)).toEqual(['KE9688', 'KE9690']);

    // The receiving side cannot record a handover; the sending side cannot confirm one.
    const one = [
      {
        arrestId: kim.id,
        handedOverBy: 'Lt. Sok Dara',
        receivedBy: 'Insp. Park Ji-hoon',
        handedOverAt: '2026-03-21T05:00:00Z',
        place: 'Incheon, gate 12',
      },
    ];
    await act(tf['kr.officer'], id, 'handover', rescheduled.body.version, { handovers: one }).expect(403);

    // KH records all 64 handovers: one-sided, so nothing is complete yet.
    const handovers = korean.map((a) => ({
      arrestId: a.id,
      handedOverBy: 'Lt. Sok Dara',
      receivedBy: 'Insp. Park Ji-hoon',
      handedOverAt: '2026-03-21T05:00:00Z',
      place: 'Incheon International Airport, gate 12',
    }));
    const recorded = await act(tf['kh.officer'], id, 'handover', rescheduled.body.version, {
      handovers,
    }).expect(200);
    expect(recorded.body.counts).toEqual({
      requested: 64,
      pending: 0,
      awaitingConfirmation: 64,
      handedOver: 0,
      dropped: 0,
    });
    expect(recorded.body.allowedActions).not.toContain('confirm-handover');
    const toConfirm = await t.dataSource.query(
      `SELECT country_code FROM notification WHERE record_id = $1 AND event_type = 'repatriation.handover_to_confirm'`,
      [id],
    );
    expect(toConfirm).toEqual([{ country_code: 'KR' }]);
    expect((await tf['kh.officer'].get(`/arrests/${kim.id}`).expect(200)).body.custodyStatus).toBe(
      'detained',
    );
    await act(tf['kr.liaison'], id, 'fulfil', recorded.body.version).expect(409);
    await act(tf['kh.officer'], id, 'confirm-handover', recorded.body.version, {
      arrestIds: [kim.id],
    }).expect(403);

    // KR confirms in two groups; fulfil is refused until every person is signed off by both sides.
    expect((await tf['kr.officer'].get(`${base}/${id}`).expect(200)).body.allowedActions).toContain(
      'confirm-handover',
    );
    const firstHalf = korean.slice(0, 32).map((a) => a.id);
    const half = await act(tf['kr.officer'], id, 'confirm-handover', recorded.body.version, {
      arrestIds: firstHalf,
    }).expect(200);
    expect(half.body.counts).toMatchObject({ awaitingConfirmation: 32, handedOver: 32 });
    await act(tf['kr.liaison'], id, 'fulfil', half.body.version).expect(409);
    const all = await act(tf['kr.officer'], id, 'confirm-handover', half.body.version, {
      arrestIds: korean.slice(32).map((a) => a.id),
    }).expect(200);
    expect(all.body.counts).toEqual({
      requested: 64,
      pending: 0,
      awaitingConfirmation: 0,
      handedOver: 64,
      dropped: 0,
    });
    expect(all.body.persons[0].handover).toMatchObject({
      handedOverBy: 'Lt. Sok Dara',
      receivedBy: 'Insp. Park Ji-hoon',
    });

    // Confirming again changes nothing more: same version, no new history entry.
    const again = await act(tf['kr.officer'], id, 'confirm-handover', all.body.version, {
      arrestIds: firstHalf,
    }).expect(200);
    expect(again.body.version).toBe(all.body.version);
    expect(again.body.counts).toEqual(all.body.counts);

    const fulfilled = await act(tf['kr.liaison'], id, 'fulfil', all.body.version).expect(200);
    expect(fulfilled.body.status).toBe('fulfilled');
    const closed = await act(tf['kh.officer'], id, 'close', fulfilled.body.version).expect(200);

    // The figures a task force reports, against counts taken straight from the rows.
    for (const who of [tf['kh.liaison'], tf['kr.liaison']]) {
      const stats = (await who.get('/stats').expect(200)).body;
      const handedOver = stats.repatriated.reduce((n: number, m: { count: number }) => n + m.count, 0);
      expect(handedOver).toBe(64);
    }
    const khStats = (await tf['kh.liaison'].get('/stats').expect(200)).body;
    const byNationality = await t.dataSource.query(
      `SELECT nationality, count(*)::int AS count FROM arrest WHERE arresting_country = 'KH' GROUP BY 1 ORDER BY 1`,
    );
    const fromStats = new Map<string, number>();
    for (const a of khStats.arrests as Array<{ nationality: string; count: number }>) {
      fromStats.set(a.nationality, (fromStats.get(a.nationality) ?? 0) + a.count);
    }
    expect(Object.fromEntries(fromStats)).toEqual(
      Object.fromEntries(
        byNationality.map((r: { nationality: string; count: number }) => [r.nationality, r.count]),
      ),
    );
    expect(closed.body.status).toBe('closed');

    // The 64 are repatriated; nobody else of the raid is.
    const repatriated = await listAll<Arrest>(
      tf['kh.officer'],
      `/arrests?raidId=${raidId}&custodyStatus=repatriated`,
    );
    expect(repatriated.map((a) => a.id).sort()).toEqual(korean.map((a) => a.id).sort());
    // KR reads the custody steps from when the arrest reached it (the request's sending): KH's recording
    // before that is KH's (test/security/probe-presend-arrests); KH reads every step.
    const steps = async (who: SignedIn) =>
      (
        (await who.get(`/arrests/${kim.id}/custody`).expect(200)).body as Array<{
          toStatus: string;
          actorCountry: string;
          requestId: string | null;
        }>
      ).map((c) => `${c.toStatus}:${c.actorCountry}`);
    expect(await steps(tf['kh.officer'])).toEqual(['detained:KH', 'repatriated:KR']);
    const custody = (await tf['kr.officer'].get(`/arrests/${kim.id}/custody`).expect(200)).body;
    expect(
      custody.map((c: { toStatus: string; actorCountry: string }) => `${c.toStatus}:${c.actorCountry}`),
    ).toEqual(['repatriated:KR']);
    expect(custody[0].requestId).toBe(id);

    // The timeline shows the origin every step with its actor and country; the target reads it from
    // `approve` on (the origin's earlier steps are its own).
    const history = (await tf['kh.liaison'].get(`${base}/${id}/history`).expect(200)).body;
    const targetView = (await tf['kr.liaison'].get(`${base}/${id}/history`).expect(200)).body;
    expect(targetView).toEqual(
      history
        .slice(2)
        .map((h: { actorCountry: string; comment: string | null }) =>
          h.actorCountry === 'KH' ? { ...h, comment: null } : h,
        ),
    );
    expect(
      history.map(
        (h: { action: string; actorUsername: string; actorCountry: string }) =>
          `${h.action}:${h.actorUsername}:${h.actorCountry}`,
      ),
    ).toEqual([
      'create:kh.officer:KH',
      'submit:kh.officer:KH',
      'approve:kh.liaison:KH',
      'accept:kr.liaison:KR',
      'schedule:kr.officer:KR',
      'schedule:kh.officer:KH',
      'handover:kh.officer:KH',
      'confirm-handover:kr.officer:KR',
      'confirm-handover:kr.officer:KR',
      'fulfil:kr.liaison:KR',
      'close:kh.officer:KH',
    ]);
    const audited = await t.dataSource.query(
      `SELECT action, actor_username, owner_country FROM audit_event WHERE record_id = $1 AND outcome = 'success' ORDER BY id`,
      [id],
    );
    expect(
      audited
        .filter((a: { action: string }) => a.action !== 'repatriation.read')
        .map((a: { action: string }) => a.action),
    ).toEqual(history.map((h: { action: string }) => `request.${h.action}`));
    // KR's two consultations of the request it was sent (its persons by name), in KR's own trail.
    expect(
      audited
        .filter((a: { action: string }) => a.action === 'repatriation.read')
        .map((a: { actor_username: string; owner_country: string }) => `${a.actor_username}:${a.owner_country}`),
    ).toEqual(['kr.liaison:KR', 'kr.officer:KR']);
    const raidAudit = await t.dataSource.query(
      `SELECT sum((details->>'count')::int)::int AS n FROM audit_event WHERE action = 'arrest.create' AND details->>'raidId' = $1`,
      [raidId],
    );
    expect(raidAudit[0].n).toBe(230);
  });

  it('an arrest shared explicitly is visible to that country, read-only', async () => {
    const created = await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '2026-04-02T10:00:00+07:00',
        place: 'Poipet checkpoint',
        grounds: 'Forged travel document',
        arrestingAgency: 'Cambodian National Police',
        nationality: 'MY',
        person: {
          names: [{ full: 'Ahmad bin Ismail', script: 'latin', kind: 'primary' }],
          birthDate: '1991',
        },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      custodyStatus: 'detained',
      raidId: null,
      person: { nationalities: ['MY'] },
    });
    await tf['my.officer'].get(`/arrests/${created.body.id}`).expect(404);
    await tf['kh.officer'].post(`/arrests/${created.body.id}/shares`, { countryCode: 'MY' }).expect(403);
    // KH and MY share no framework in the demo data: no share until one is in force.
    const noFramework = await tf['kh.liaison']
      .post(`/arrests/${created.body.id}/shares`, { countryCode: 'MY' })
      .expect(400);
    expect(noFramework.body.errors).toEqual([
      { field: 'countryCode', message: 'no active cooperation framework joins KH and MY' },
    ]);
    await (
      await signIn(t.server, 'platform.admin')
    )
      .post('/frameworks', {
        name: 'Cambodia–Malaysia police MOU',
        members: ['KH', 'MY'],
        validFrom: '2026-01-01',
      })
      .expect(201);
    const shared = await tf['kh.liaison']
      .post(`/arrests/${created.body.id}/shares`, { countryCode: 'MY' })
      .expect(200);
    expect(shared.body.sharedWith).toEqual(['MY']);
    await tf['my.officer'].get(`/arrests/${created.body.id}`).expect(200);
    await tf['my.officer']
      .post(`/arrests/${created.body.id}/custody`, { status: 'released', version: created.body.version })
      .expect(403);
    const released = await tf['kh.officer']
      .post(`/arrests/${created.body.id}/custody`, {
        status: 'released',
        reason: 'Bail',
        version: created.body.version,
      })
      .expect(200);
    expect(released.body.custodyStatus).toBe('released');
    await tf['kh.officer']
      .post(`/arrests/${created.body.id}/custody`, { status: 'charged', version: created.body.version })
      .expect(409);
    await tf['kh.officer']
      .post(`/arrests/${created.body.id}/custody`, { status: 'repatriated', version: released.body.version })
      .expect(400);
    const audited = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE record_id = $1 AND outcome = 'success' ORDER BY id`,
      [created.body.id],
    );
    expect(audited.map((a: { action: string }) => a.action)).toEqual([
      'arrest.create',
      'arrest.share',
      // MY's consultation of the arrest shared with it, in MY's own trail.
      'arrest.read',
      'arrest.custody.change',
    ]);
  });
});
