import { randomUUID } from 'node:crypto';
import { aBankAccount } from '../asset-freezes/asset-freeze-scenario';
import { now, trailSince } from '../probe-r36/r36-support';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r38, guards (they pass on main): taking a person off a shared case as a partner would probe it,
 * and an asset freeze's draft edit with hostile bodies and another country's ids.
 */
describe('Probe r38: unlinking a person, and editing a freeze draft, as a partner would try', () => {
  let t: TestApp;
  let tf: TaskForce;
  let th: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    th = await signIn(t.server, 'th.officer');
  });
  afterAll(() => t?.close());

  /** A problem body without what differs between any two answers. */
  const shape = (res: { status: number; body: Record<string, unknown> }, ...ids: string[]) => {
    const { instance: _i, requestId: _r, traceId: _t, ...rest } = res.body;
    let text = JSON.stringify({ status: res.status, ...rest });
    for (const id of ids) text = text.split(id).join('<id>');
    return JSON.parse(text) as unknown;
  };
  const person = async (who: SignedIn, full: string, nationality: string) =>
    (
      await who
        .post('/persons', {
          names: [{ full, script: 'latin', kind: 'primary' }],
          nationalities: [nationality],
        })
        .expect(201)
    ).body as { id: string; version: number };

  it('unlink: the 404s and 403 tell nobody more than an unknown id; the partner’s trail holds no unlink', async () => {
    const p = await person(tf['kr.officer'], 'KIM Mistaken', 'KR');
    const caseId = (
      await tf['kr.officer']
        .post('/cases', { title: 'r38 unlink', persons: [{ personId: p.id, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kr.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
      .expect(201);
    const since = await now(t);
    // TH never had the case: the same answer as a case that never existed.
    const unknownCase = randomUUID();
    expect(shape(await th.delete(`/cases/${caseId}/persons/${p.id}`), caseId)).toEqual(
      shape(await th.delete(`/cases/${unknownCase}/persons/${p.id}`), unknownCase),
    );
    // MY reads the case: 403, as any edit of it; the link stays.
    expect((await tf['my.officer'].delete(`/cases/${caseId}/persons/${p.id}`)).status).toBe(403);
    // KR itself: a KH person KR never read, and an id that never existed, answer alike.
    const khPerson = await person(tf['kh.officer'], 'SOK Hidden', 'KH');
    const unknownPerson = randomUUID();
    expect(
      shape(await tf['kr.officer'].delete(`/cases/${caseId}/persons/${khPerson.id}`), khPerson.id),
    ).toEqual(
      shape(await tf['kr.officer'].delete(`/cases/${caseId}/persons/${unknownPerson}`), unknownPerson),
    );
    await tf['my.officer'].get(`/persons/${p.id}`).expect(200);
    await tf['kr.officer'].delete(`/cases/${caseId}/persons/${p.id}`).expect(200);
    // As after a revoked share, MY (which linked it into nothing of its own) reads the person no more,
    // and the owner's next edit reaches it nowhere.
    await tf['my.officer'].get(`/persons/${p.id}`).expect(404);
    await tf['kr.officer']
      .patch(`/persons/${p.id}`, {
        version: p.version,
        names: [{ full: 'KIM Corrected', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
      })
      .expect(200);
    await tf['my.officer'].get(`/persons/${p.id}`).expect(404);
    // The case no longer lists it, and its auditors read no unlink (the owner's own business).
    expect((await tf['my.officer'].get(`/cases/${caseId}`).expect(200)).body.persons).toEqual([]);
    const myTrail = await trailSince(tf['my.auditor'], since);
    expect(myTrail.filter((e) => e.action.startsWith('case.persons'))).toEqual([]);
    // Linked again, MY reads it live again.
    await tf['kr.officer']
      .post(`/cases/${caseId}/persons`, { persons: [{ personId: p.id, role: 'witness' }] })
      .expect(201);
    expect((await tf['my.officer'].get(`/persons/${p.id}`).expect(200)).body.names[0].full).toBe(
      'KIM Corrected',
    );
    // TH's auditors: nothing of KR's case beyond TH's own refused attempts, which name no owner.
    const thTrail = await trailSince(await signIn(t.server, 'th.auditor'), since);
    expect(thTrail.filter((e) => e.recordId === caseId).map((e) => [e.action, e.ownerCountry])).toEqual([
      ['access.denied', null],
    ]);
  });

  const FREEZES = '/asset-freeze-requests';
  const freezeDraft = async (who: SignedIn, targetCountry: string, targets: object[]) => {
    const res = await who.post(FREEZES, {
      frameworkId: tf.cambodiaKoreaFramework,
      targetCountry,
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Freeze the mule accounts',
      targets,
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body as { id: string; version: number; targets: Array<{ id: string }> };
  };

  it('freeze draft edit: another country’s open target is no duplicate (no oracle), its ids are refused as unknown ones', async () => {
    // KH has account X on an open draft of its own; KR's edit naming X is no conflict.
    const shared = '7711-2038-0001';
    await freezeDraft(tf['kh.officer'], 'KR', [aBankAccount({ accountNumber: shared })]);
    const d = await freezeDraft(tf['kr.officer'], 'KH', [aBankAccount({ accountNumber: '7711-2038-0002' })]);
    const edited = await tf['kr.officer'].patch(`${FREEZES}/${d.id}`, {
      version: d.version,
      targets: [aBankAccount({ accountNumber: shared })],
    });
    expect(edited.status).toBe(200);
    // KH's case and KH's hidden person: the same 400 as ids that never existed.
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'KH only r38' }).expect(201)).body
      .id as string;
    const khPerson = await person(tf['kh.officer'], 'SOK Owner', 'KH');
    const v = edited.body.version as number;
    const unknown = randomUUID();
    expect(
      shape(await tf['kr.officer'].patch(`${FREEZES}/${d.id}`, { version: v, caseId: khCase }), khCase),
    ).toEqual(
      shape(await tf['kr.officer'].patch(`${FREEZES}/${d.id}`, { version: v, caseId: unknown }), unknown),
    );
    const withPerson = (id: string) => ({
      version: v,
      targets: [aBankAccount({ accountNumber: shared, personId: id })],
    });
    expect(
      shape(await tf['kr.officer'].patch(`${FREEZES}/${d.id}`, withPerson(khPerson.id)), khPerson.id),
    ).toEqual(shape(await tf['kr.officer'].patch(`${FREEZES}/${d.id}`, withPerson(unknown)), unknown));
    expect((await tf['kr.officer'].get(`${FREEZES}/${d.id}`).expect(200)).body.version).toBe(v);
  });

  it('freeze draft edit: hostile bodies are 4xx problems and change nothing', async () => {
    const d = await freezeDraft(tf['kr.officer'], 'KH', [aBankAccount({ accountNumber: '7711-2038-0100' })]);
    let deep: unknown = 'x';
    for (let i = 0; i < 60; i++) deep = { summary: deep };
    const bodies: unknown[] = [
      { targets: [aBankAccount({ institutionName: 'A\u0000B' })] },
      { targets: Array.from({ length: 2001 }, () => ({})) },
      {
        targets: Array.from({ length: 150 }, (_, i) =>
          aBankAccount({ accountNumber: `7711-2038-${1000 + i}` }),
        ),
      },
      { targets: [aBankAccount({ grounds: deep })] },
      { targets: 'all' },
      { targets: {} },
      { targets: [null] },
      { targets: [aBankAccount({ accountNumber: 12345 })] },
      { targets: [aBankAccount({ holderName: '\ufdfa'.repeat(300) })] },
      { targets: [aBankAccount({ amountSought: { amount: '1e400', currency: 'KRW' } })] },
      { targets: [aBankAccount({ amountSought: { amount: '-5', currency: 'KRW' } })] },
      { targets: [] },
      { caseId: 'not-a-uuid' },
      { caseId: null },
    ];
    for (const body of bodies) {
      const res = await tf['kr.officer'].patch(`${FREEZES}/${d.id}`, {
        version: d.version,
        ...(body as object),
      });
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const after = (await tf['kr.officer'].get(`${FREEZES}/${d.id}`).expect(200)).body;
    expect(after.version).toBe(d.version);
    expect(after.targets.map((x: { id: string }) => x.id)).toEqual(d.targets.map((x) => x.id));
  });
});
