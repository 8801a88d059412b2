import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import {
  aBankAccount,
  aFreezeDraft,
  aPerson,
  aWallet,
  BASE,
  koreaMalaysiaFramework,
  stepper,
} from './asset-freeze-scenario';

type Target = { id: string; final: boolean; allowedSteps: string[] };

describe('Asset freeze requests: KR asks MY to freeze, MY executes account by account', () => {
  let t: TestApp;
  let tf: TaskForce;
  let framework: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    framework = await koreaMalaysiaFramework(t);
  });
  afterAll(() => t?.close());

  it('freezes, recovers, returns and releases to the last won; totals per currency are exact; fulfils only when every target is final', async () => {
    const step = stepper();
    const victim = await aPerson(tf['kr.officer'], 'KIM Minji');
    const holder = await aPerson(tf['kr.officer'], 'LEE Junho');
    const body = aFreezeDraft(framework, [
      aBankAccount({
        amountSought: { amount: '1000.1', currency: 'MYR' },
        personId: holder,
        grounds: {
          summary: 'Victim transfers of the Golden Fortune scam',
          victimLosses: [{ personId: victim, loss: { amount: '52000000', currency: 'KRW' } }],
        },
      }),
      aBankAccount({
        institutionName: 'CIMB Bank',
        institutionCode: 'CIBBMYKL',
        accountNumber: '8001 2345 67',
        holderName: 'Nominee Sdn Bhd',
        borrowedName: true,
        amountSought: { amount: '0.2', currency: 'MYR' },
      }),
      aBankAccount({
        institutionName: 'KB Kookmin Bank Labuan',
        institutionCode: 'CZNBMYKL',
        accountNumber: '900-777-111',
        amountSought: { amount: '9007199254740993', currency: 'KRW' },
      }),
      aWallet(),
    ]);
    const draft = await tf['kr.officer']
      .post(BASE, body)
      .set('Idempotency-Key', 'freeze-golden-fortune-1')
      .expect(201);
    const r = draft.body;
    expect(r).toMatchObject({
      kind: 'asset_freeze',
      status: 'draft',
      direction: 'outbound',
      priority: 'immediate',
    });
    // A draft has no reference until it is sent, only its draft id.
    expect(r).toMatchObject({ reference: null, draftId: expect.stringMatching(/^DRAFT-[0-9A-F]{8}$/) });
    expect(r.targets.map((x: { borrowedName: boolean | null }) => x.borrowedName)).toEqual([
      false,
      true,
      false,
      null,
    ]);
    expect(r.targets[0]).toMatchObject({
      accountNumber: '5140-1234-5678',
      institutionCode: 'MBBEMYKL',
      personId: holder,
      amountSought: { amount: '1000.1', currency: 'MYR' },
      grounds: { victimLosses: [{ personId: victim, loss: { amount: '52000000', currency: 'KRW' } }] },
    });
    expect(r.targets[3]).toMatchObject({
      chain: 'tron',
      exchangeName: 'Binance',
      outcome: null,
      final: false,
    });
    expect(r.totals).toEqual([
      expect.objectContaining({ currency: 'KRW', sought: '9007199254740993', frozen: '0' }),
      expect.objectContaining({ currency: 'MYR', sought: '1000.3', frozen: '0' }),
      expect.objectContaining({ currency: 'USDT', sought: '12500.123456' }),
    ]);
    // The same Idempotency-Key replays the first answer and creates nothing new; another body is refused.
    const replay = await tf['kr.officer']
      .post(BASE, body)
      .set('Idempotency-Key', 'freeze-golden-fortune-1')
      .expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(r.id);
    await tf['kr.officer']
      .post(BASE, aFreezeDraft(framework, [aWallet()]))
      .set('Idempotency-Key', 'freeze-golden-fortune-1')
      .expect(422);
    await tf['my.liaison'].get(`${BASE}/${r.id}`).expect(404);

    const submitted = await step(tf['kr.officer'], `${r.id}/submit`, { version: r.version });
    const sent = await step(tf['kr.liaison'], `${r.id}/approve`, { version: submitted.version });
    // Immediate freeze requests give the target 24 hours (information requests keep 4).
    expect(new Date(sent.dueAt).getTime() - new Date(sent.sentAt).getTime()).toBe(24 * 3600_000);
    const inbound = (await tf['my.liaison'].get(`${BASE}/${r.id}`).expect(200)).body;
    expect(inbound).toMatchObject({
      direction: 'inbound',
      caseId: null,
      allowedActions: ['accept', 'reject'],
    });
    // No execution before acceptance.
    const early = await tf['my.officer'].post(`${BASE}/${r.id}/targets/${r.targets[0].id}/freeze`, {
      version: sent.version,
      outcome: 'not_found',
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ currentState: 'sent' });

    let cur = await step(tf['my.liaison'], `${r.id}/accept`, { version: sent.version });
    const [t0, t1, t2, t3] = cur.targets.map((x: Target) => x.id);
    expect(cur.targets[0].allowedSteps).toEqual(['freeze']);
    expect(cur.allowedActions).toEqual(['assign']); // fulfil is hidden until every target is final
    const officerView = (await tf['my.officer'].get(`${BASE}/${r.id}`).expect(200)).body;
    expect(officerView.targets[0].allowedSteps).toEqual(['freeze']);
    expect(officerView.allowedActions).toEqual([]);
    // The origin cannot execute; another country cannot even see it.
    await tf['kr.officer']
      .post(`${BASE}/${r.id}/targets/${t0}/freeze`, { version: cur.version, outcome: 'not_found' })
      .expect(403);
    await tf['kh.officer']
      .post(`${BASE}/${r.id}/targets/${t0}/freeze`, { version: cur.version, outcome: 'not_found' })
      .expect(404);

    const officer = tf['my.officer'];
    const on = (target: string, what: string) => `${r.id}/targets/${target}/${what}`;
    // Target 0 (MYR): a partial freeze of 0.1, topped up by 0.2, all recovered, 0.1 returned, 0.2 released.
    cur = await step(officer, on(t0, 'freeze'), {
      version: cur.version,
      outcome: 'frozen',
      amount: { amount: '0.1', currency: 'MYR' },
      institutionReference: 'MBB-FRZ-2026-0042',
      frozenAt: '2026-01-05T03:00:00Z',
    });
    cur = await step(officer, on(t0, 'freeze'), {
      version: cur.version,
      outcome: 'frozen',
      amount: { amount: '0.2', currency: 'MYR' },
    });
    expect(cur.targets[0]).toMatchObject({
      outcome: 'frozen',
      frozen: '0.3',
      stillFrozen: '0.3',
      institutionReference: 'MBB-FRZ-2026-0042',
      frozenAt: '2026-01-05T03:00:00.000Z',
    });
    // Target 1 (borrowed-name account): the money had already gone.
    cur = await step(officer, on(t1, 'freeze'), { version: cur.version, outcome: 'funds_moved' });
    // Target 2 (KRW): frozen in full, forfeited, most of it returned to the victim, the rest held.
    cur = await step(officer, on(t2, 'freeze'), {
      version: cur.version,
      outcome: 'frozen',
      amount: { amount: '9007199254740993', currency: 'KRW' },
    });
    // Target 3 (USDT wallet): frozen in full at the exchange.
    cur = await step(officer, on(t3, 'freeze'), {
      version: cur.version,
      outcome: 'frozen',
      amount: { amount: '12500.123456', currency: 'USDT' },
      institutionReference: 'BINANCE-LE-99812',
    });
    cur = await step(officer, on(t0, 'recover'), {
      version: cur.version,
      amount: { amount: '0.3', currency: 'MYR' },
      disposition: 'seized',
    });
    cur = await step(officer, on(t0, 'return'), {
      version: cur.version,
      amount: { amount: '0.1', currency: 'MYR' },
      recipient: { name: 'KIM Minji', personId: victim },
      decision: 'Johor Bahru Sessions Court order 45-2026',
    });
    cur = await step(officer, on(t2, 'recover'), {
      version: cur.version,
      amount: { amount: '9007199254740993', currency: 'KRW' },
      disposition: 'forfeited',
      decision: 'AMLA s.56 forfeiture order',
    });
    cur = await step(officer, on(t2, 'return'), {
      version: cur.version,
      amount: { amount: '9007199254740000', currency: 'KRW' },
      recipient: { name: 'KIM Minji', personId: victim },
      decision: 'Restitution order 12-2026',
    });

    // Not every target is final yet: fulfil is refused, naming the open ones.
    const tooEarly = await tf['my.liaison']
      .post(`${BASE}/${r.id}/fulfil`, { version: cur.version })
      .expect(409);
    expect(tooEarly.body).toMatchObject({ type: 'urn:case-desk:problem:freeze-targets-not-final' });
    expect([...tooEarly.body.openTargetIds].sort()).toEqual([t0, t2, t3].sort());

    cur = await step(officer, on(t0, 'release'), {
      version: cur.version,
      amount: { amount: '0.2', currency: 'MYR' },
      reason: 'Belongs to an unrelated depositor',
    });
    cur = await step(officer, on(t2, 'close-out'), {
      version: cur.version,
      reason: 'Remaining 993 KRW held under the forfeiture order until appeal',
    });
    // Victims are paid from recovered funds: the exchange hands over what it froze, less the dust.
    cur = await step(officer, on(t3, 'recover'), {
      version: cur.version,
      amount: { amount: '12500.123455', currency: 'USDT' },
      disposition: 'seized',
    });
    cur = await step(officer, on(t3, 'return'), {
      version: cur.version,
      amount: { amount: '12500.123455', currency: 'USDT' },
      recipient: { name: 'KIM Minji' },
      decision: 'Restitution order 12-2026',
    });
    expect(cur.targets[3]).toMatchObject({
      final: false,
      stillFrozen: '0.000001',
      allowedSteps: expect.any(Array),
    });
    cur = await step(officer, on(t3, 'release'), {
      version: cur.version,
      amount: { amount: '0.000001', currency: 'USDT' },
      reason: 'Dust below the exchange minimum',
    });

    expect(cur.targets.map((x: { outcome: string; final: boolean }) => `${x.outcome}:${x.final}`)).toEqual([
      'frozen:true',
      'funds_moved:true',
      'frozen:true',
      'frozen:true',
    ]);
    expect(cur.allTargetsFinal).toBe(true);
    expect(cur.totals).toEqual([
      {
        currency: 'KRW',
        sought: '9007199254740993',
        frozen: '9007199254740993',
        recovered: '9007199254740993',
        returned: '9007199254740000',
        released: '0',
        stillFrozen: '993',
      },
      {
        currency: 'MYR',
        sought: '1000.3',
        frozen: '0.3',
        recovered: '0.3',
        returned: '0.1',
        released: '0.2',
        stillFrozen: '0',
      },
      {
        currency: 'USDT',
        sought: '12500.123456',
        frozen: '12500.123456',
        recovered: '12500.123455',
        returned: '12500.123455',
        released: '0.000001',
        stillFrozen: '0',
      },
    ]);
    // Stored exactly as numeric, not as a float.
    const [stored] = await t.dataSource.query(
      `SELECT frozen_amount::text AS frozen, returned_amount::text AS returned FROM asset_freeze_target WHERE id = $1`,
      [t2],
    );
    expect(stored).toEqual({
      frozen: '9007199254740993.000000000000000000',
      returned: '9007199254740000.000000000000000000',
    });
    expect(cur.targets[0].steps.map((s: { step: string }) => s.step)).toEqual([
      'freeze',
      'freeze',
      'recover',
      'return',
      'release',
    ]);
    expect(cur.targets[0].steps[3]).toMatchObject({
      amount: { amount: '0.1', currency: 'MYR' },
      details: {
        recipient: { name: 'KIM Minji', personId: victim },
        decision: 'Johor Bahru Sessions Court order 45-2026',
      },
      actorUsername: 'my.officer',
      actorCountry: 'MY',
    });

    const origin = (await tf['kr.officer'].get(`${BASE}/${r.id}`).expect(200)).body;
    expect(origin.totals).toEqual(cur.totals);
    // Statistics add the same exact amounts per currency (this file's only executed request).
    const stats = (await tf['kr.liaison'].get('/stats').expect(200)).body;
    const outbound = stats.assets.filter((a: { direction: string }) => a.direction === 'outbound');
    expect(outbound).toEqual(
      cur.totals.map((t: { currency: string; frozen: string; recovered: string; returned: string }) => ({
        direction: 'outbound',
        currency: t.currency,
        frozen: t.frozen,
        recovered: t.recovered,
        returned: t.returned,
      })),
    );
    expect(origin.allowedActions).toEqual([]); // nothing for the origin while accepted
    expect((await tf['my.officer'].get(`${BASE}/${r.id}`).expect(200)).body.allowedActions).toEqual([
      'fulfil',
    ]);
    const fulfilled = await step(tf['my.officer'], `${r.id}/fulfil`, { version: cur.version });
    expect(fulfilled.status).toBe('fulfilled');
    await tf['my.officer']
      .post(`${BASE}/${r.id}/targets/${t0}/release`, {
        version: fulfilled.version,
        amount: { amount: '0.01', currency: 'MYR' },
        reason: 'late',
      })
      .expect(409);
    const closed = await step(tf['kr.officer'], `${r.id}/close`, { version: fulfilled.version });
    expect(closed).toMatchObject({ status: 'closed', allowedActions: [] });
    const listed = (await tf['kr.officer'].get(`${BASE}?status=closed`).expect(200)).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: r.id, totals: cur.totals, allTargetsFinal: true });
    expect(listed[0].targets[0].steps).toHaveLength(5);

    const history = (await tf['kr.officer'].get(`${BASE}/${r.id}/history`).expect(200)).body;
    expect(
      history.map((h: { action: string; actorUsername: string }) => `${h.action}:${h.actorUsername}`),
    ).toEqual([
      'create:kr.officer',
      'submit:kr.officer',
      'approve:kr.liaison',
      'accept:my.liaison',
      'freeze:my.officer',
      'freeze:my.officer',
      'freeze:my.officer',
      'freeze:my.officer',
      'freeze:my.officer',
      'recover:my.officer',
      'returnFunds:my.officer',
      'recover:my.officer',
      'returnFunds:my.officer',
      'release:my.officer',
      'closeOut:my.officer',
      'recover:my.officer',
      'returnFunds:my.officer',
      'release:my.officer',
      'fulfil:my.officer',
      'close:kr.officer',
    ]);
    const targetEvents = await t.dataSource.query(
      `SELECT action, record_id, actor_country, changes->'before' AS before, changes->'after' AS after FROM audit_event
        WHERE record_type = 'asset_freeze_target' AND outcome = 'success' ORDER BY id`,
    );
    expect(targetEvents).toHaveLength(14);
    expect(targetEvents[0]).toMatchObject({
      action: 'asset_freeze.target.freeze',
      record_id: t0,
      actor_country: 'MY',
      before: { frozen: '0', outcome: null },
      after: { frozen: '0.1', outcome: 'frozen', currency: 'MYR' },
    });
    const denials = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'access.denied' AND record_id = $1`,
      [r.id],
    );
    expect(denials[0].n).toBeGreaterThanOrEqual(2); // the KR 403 and the KH 404
  });

  it('an immediate information request still has 4 hours; freeze requests surface overdue ones first in inbound lists', async () => {
    const step = stepper();
    const info = (
      await tf['kr.officer']
        .post('/information-requests', aDraft(tf.cambodiaKoreaFramework, { priority: 'immediate' }))
        .expect(201)
    ).body;
    const infoSubmitted = await tf['kr.officer']
      .post(`/information-requests/${info.id}/submit`, { version: info.version })
      .expect(200);
    const infoSent = (
      await tf['kr.liaison']
        .post(`/information-requests/${info.id}/approve`, { version: infoSubmitted.body.version })
        .expect(200)
    ).body;
    expect(new Date(infoSent.dueAt).getTime() - new Date(infoSent.sentAt).getTime()).toBe(4 * 3600_000);
    const make = async (account: string) => {
      const d = (
        await tf['kr.officer']
          .post(
            BASE,
            aFreezeDraft(framework, [aBankAccount({ accountNumber: account })], { priority: 'routine' }),
          )
          .expect(201)
      ).body;
      const s = await step(tf['kr.officer'], `${d.id}/submit`, { version: d.version });
      return step(tf['kr.liaison'], `${d.id}/approve`, { version: s.version });
    };
    const older = await make('111-0001');
    const newer = await make('111-0002');
    expect(new Date(newer.dueAt).getTime() - new Date(newer.sentAt).getTime()).toBe(14 * 24 * 3600_000);
    let list = (await tf['my.liaison'].get(`${BASE}?direction=inbound&limit=200`).expect(200)).body.items;
    expect(list.findIndex((x: { id: string }) => x.id === newer.id)).toBeLessThan(
      list.findIndex((x: { id: string }) => x.id === older.id),
    );
    await t.dataSource.query(
      `UPDATE cross_border_request SET due_at = now() - interval '1 hour' WHERE id = $1`,
      [older.id],
    );
    list = (await tf['my.liaison'].get(`${BASE}?direction=inbound&limit=200`).expect(200)).body.items;
    expect(list[0]).toMatchObject({ id: older.id, overdue: true });
    // Paging keeps the order: overdue first, then newest first, each request once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await tf['my.liaison']
          .get(`${BASE}?direction=inbound&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200)
      ).body;
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(list.map((x: { id: string }) => x.id));
    expect(
      (await tf['my.liaison'].get(`${BASE}?overdue=true`).expect(200)).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).toEqual([older.id]);
    await tf['my.liaison'].get(`${BASE}?cursor=nonsense`).expect(400);
  });

  it('RED requests: the target sees them only as a liaison or the assigned officer; KH sees nothing', async () => {
    const step = stepper();
    const d = (
      await tf['kr.officer']
        .post(
          BASE,
          aFreezeDraft(framework, [aBankAccount({ accountNumber: '222-0001' })], { handlingCode: 'RED' }),
        )
        .expect(201)
    ).body;
    const s = await step(tf['kr.officer'], `${d.id}/submit`, { version: d.version });
    const sent = await step(tf['kr.liaison'], `${d.id}/approve`, { version: s.version });
    await tf['my.officer'].get(`${BASE}/${d.id}`).expect(404);
    await tf['kh.liaison'].get(`${BASE}/${d.id}`).expect(404);
    const accepted = await step(tf['my.liaison'], `${d.id}/accept`, { version: sent.version });
    const assigned = await step(tf['my.liaison'], `${d.id}/assign`, {
      version: accepted.version,
      assigneeId: await tf.userId('my.officer'),
    });
    const seen = (await tf['my.officer'].get(`${BASE}/${d.id}`).expect(200)).body;
    expect(seen.targets[0].allowedSteps).toEqual(['freeze']);
    await step(tf['my.officer'], `${d.id}/targets/${seen.targets[0].id}/freeze`, {
      version: assigned.version,
      outcome: 'not_found',
    });
    await tf['kr.auditor'].get(`${BASE}/${d.id}`).expect(200);
  });
});
