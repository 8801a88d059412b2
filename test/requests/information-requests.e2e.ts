import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { signIn, type SignedIn } from '../support/http';
import { INFORMATION_REQUEST_KIND } from '../../src/information-requests/information-request.kind';
import { REQUEST_STATUSES } from '../../src/workflow/request-lifecycle';

describe('Information requests through the request engine (KR → KH)', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  const act = (who: SignedIn, id: string, action: string, version: number, extra: object = {}) =>
    who.post(`${base}/${id}/${action}`, { version, ...extra });

  async function draft(overrides: object = {}) {
    const res = await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework, overrides)).expect(201);
    return res.body as {
      id: string;
      version: number;
      reference: string | null;
      draftId: string;
      createdAt: string;
    };
  }

  /** Drives a fresh request to `state` along the happy path (or its side branches). */
  async function requestIn(state: string) {
    const r = await draft();
    let v = r.version;
    const step = async (who: SignedIn, action: string, extra: object = {}) => {
      const res = await act(who, r.id, action, v, extra).expect(200);
      v = res.body.version;
    };
    if (state === 'draft') return { id: r.id, version: v };
    if (state === 'withdrawn') return (await step(tf['kr.officer'], 'withdraw'), { id: r.id, version: v });
    await step(tf['kr.officer'], 'submit');
    if (state === 'submitted') return { id: r.id, version: v };
    await step(tf['kr.liaison'], 'approve');
    if (state === 'sent') return { id: r.id, version: v };
    if (state === 'rejected')
      return (
        await step(tf['kh.liaison'], 'reject', { reason: 'Outside our jurisdiction' }),
        { id: r.id, version: v }
      );
    await step(tf['kh.liaison'], 'accept');
    if (state === 'accepted') return { id: r.id, version: v };
    await step(tf['kh.liaison'], 'fulfil', { findings: { summary: 'Registered to a nominee.' } });
    if (state === 'fulfilled') return { id: r.id, version: v };
    await step(tf['kr.officer'], 'close');
    return { id: r.id, version: v };
  }

  it('runs the whole flow; KH sees it only from sent; the history names every actor and country', async () => {
    const r = await draft();
    // No reference before it is sent: the draft id names it.
    expect(r.reference).toBeNull();
    expect(r.draftId).toMatch(/^DRAFT-[0-9A-F]{8}$/);
    await tf['kh.liaison'].get(`${base}/${r.id}`).expect(404);
    const submitted = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    await tf['kh.liaison'].get(`${base}/${r.id}`).expect(404);
    expect(
      (await tf['kh.liaison'].get(`${base}?direction=inbound`).expect(200)).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).not.toContain(r.id);

    const sent = await act(tf['kr.liaison'], r.id, 'approve', submitted.body.version, {
      comment: 'Approved for sending',
    }).expect(200);
    expect(sent.body).toMatchObject({ status: 'sent', overdue: false, draftId: r.draftId });
    expect(sent.body.reference).toMatch(/^KR-KH-INF-\d{4}-\d{6}$/);
    expect(new Date(sent.body.dueAt).getTime() - new Date(sent.body.sentAt).getTime()).toBe(48 * 3600_000);
    const inbound = await tf['kh.liaison'].get(`${base}/${r.id}`).expect(200);
    expect(inbound.body).toMatchObject({ direction: 'inbound', allowedActions: ['accept', 'reject'] });
    // KH learns when the request reached it, not when KR started drafting it.
    expect(inbound.body.createdAt).toBe(sent.body.sentAt);
    expect(r.createdAt).not.toBe(sent.body.sentAt);

    const accepted = await act(tf['kh.liaison'], r.id, 'accept', sent.body.version).expect(200);
    const khOfficerId = await tf.userId('kh.officer');
    const assigned = await act(tf['kh.liaison'], r.id, 'assign', accepted.body.version, {
      assigneeId: khOfficerId,
    }).expect(200);
    await act(tf['kh.officer2'], r.id, 'fulfil', assigned.body.version, {
      findings: { summary: 'x' },
    }).expect(403);
    const fulfilled = await act(tf['kh.officer'], r.id, 'fulfil', assigned.body.version, {
      findings: {
        summary: 'The number is registered to a nominee; the account is controlled by a compound manager.',
        identifiers: { phones: ['+85598765432'] },
        persons: [
          {
            names: [{ full: 'SOK Dara', family: 'Sok', given: 'Dara', script: 'latin', kind: 'primary' }],
            nationalities: ['KH'],
            birthDate: '1988',
          },
        ],
      },
    }).expect(200);
    expect(fulfilled.body.findings.personIds).toHaveLength(1);
    await tf['kr.officer'].get(`/persons/${fulfilled.body.findings.personIds[0]}`).expect(200);
    const closed = await act(tf['kr.officer'], r.id, 'close', fulfilled.body.version).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', allowedActions: [] });

    const history = (await tf['kr.officer'].get(`${base}/${r.id}/history`).expect(200)).body;
    expect(
      history.map(
        (h: { action: string; actorUsername: string; actorCountry: string }) =>
          `${h.action}:${h.actorUsername}:${h.actorCountry}`,
      ),
    ).toEqual([
      'create:kr.officer:KR',
      'submit:kr.officer:KR',
      'approve:kr.liaison:KR',
      'accept:kh.liaison:KH',
      'assign:kh.liaison:KH',
      'fulfil:kh.officer:KH',
      'close:kr.officer:KR',
    ]);
    const audited = await t.dataSource.query(
      `SELECT action, actor_country FROM audit_event WHERE record_id = $1 AND outcome = 'success' ORDER BY id`,
      [r.id],
    );
    expect(audited.map((a: { action: string }) => a.action)).toEqual([
      'request.create',
      'request.submit',
      'request.approve',
      'request.accept',
      'request.assign',
      'request.fulfil',
      'request.close',
    ]);
  });

  it('the target reads the same version on arrival however often the origin edited or returned the draft', async () => {
    const sendAfter = async (returns: number) => {
      const r = await draft();
      let version = r.version;
      for (let i = 0; i < returns; i++) {
        version = (await act(tf['kr.officer'], r.id, 'submit', version).expect(200)).body.version;
        version = (await act(tf['kr.liaison'], r.id, 'return', version, { comment: 'Say more' }).expect(200))
          .body.version;
      }
      version = (await act(tf['kr.officer'], r.id, 'submit', version).expect(200)).body.version;
      await act(tf['kr.liaison'], r.id, 'approve', version).expect(200);
      // A client still holding a version from before the send is refused like any stale one.
      await act(tf['kr.officer'], r.id, 'withdraw', version).expect(409);
      return (await tf['kh.liaison'].get(`${base}/${r.id}`).expect(200)).body.version as number;
    };
    const straight = await sendAfter(0);
    expect(await sendAfter(3)).toBe(straight);
  });

  it('four eyes: the submitter cannot approve their own request; KH cannot act on a KR draft; MY sees nothing', async () => {
    const r = await draft();
    const submitted = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    // kr.liaison2 drafted nothing; make a liaison the submitter by drafting as officer and checking the officer cannot approve.
    const own = await act(tf['kr.officer'], r.id, 'approve', submitted.body.version).expect(403);
    expect(own.body.status).toBe(403);
    await act(tf['kh.liaison'], r.id, 'approve', submitted.body.version).expect(404);
    for (const who of [tf['my.officer'], tf['my.liaison'], tf['my.auditor']]) {
      await who.get(`${base}/${r.id}`).expect(404);
      await who.get(`${base}/${r.id}/history`).expect(404);
      const list = await who.get(`${base}?limit=200`).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(r.id);
    }
    await tf['kr.screener'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(403);
    await tf['kr.auditor'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(403);
    await tf['kr.liaison'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(403);
  });

  it('a liaison who submitted cannot approve: another liaison must', async () => {
    const r = await draft();
    await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    await t.dataSource.query(
      `UPDATE cross_border_request SET submitted_by = (SELECT id FROM app_user WHERE username = 'kr.liaison') WHERE id = $1`,
      [r.id],
    );
    await act(tf['kr.liaison'], r.id, 'approve', r.version + 1).expect(403);
    await act(tf['kr.liaison2'], r.id, 'approve', r.version + 1).expect(200);
  });

  it('20 concurrent approvals: exactly one wins, the rest get 409; one audit event, one history row', async () => {
    const r = await draft();
    const submitted = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        act(i % 2 ? tf['kr.liaison'] : tf['kr.liaison2'], r.id, 'approve', submitted.body.version),
      ),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const events = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE record_id = $1 AND action = 'request.approve'`,
      [r.id],
    );
    const history = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM request_status_history WHERE request_id = $1 AND action = 'approve'`,
      [r.id],
    );
    expect([events[0].n, history[0].n]).toEqual([1, 1]);
  });

  describe('every illegal transition from every state answers 409 (404 where the target cannot see it) and changes nothing', () => {
    const table = INFORMATION_REQUEST_KIND.transitions;
    const actorFor = (action: string) => {
      const rule = table[action]!;
      if (rule.side === 'origin') return rule.roles.includes('liaison') ? 'kr.liaison2' : 'kr.officer2';
      return 'kh.liaison';
    };
    for (const state of REQUEST_STATUSES) {
      const illegal = Object.keys(table).filter((action) => !table[action]!.from.includes(state));
      it(`from ${state}: ${illegal.join(', ')}`, async () => {
        const r = await requestIn(state);
        const before = await t.dataSource.query(
          `SELECT status, version, updated_at FROM cross_border_request WHERE id = $1`,
          [r.id],
        );
        for (const action of illegal) {
          const extra: Record<string, object> = {
            reject: { reason: 'r' },
            assign: { assigneeId: await tf.userId('kh.officer') },
            fulfil: { findings: { summary: 's' } },
          };
          const res = await act(
            tf[actorFor(action) as keyof TaskForce] as SignedIn,
            r.id,
            action,
            r.version,
            extra[action] ?? {},
          );
          // The target cannot act on what it cannot see: a request never sent is a 404 for it.
          const hidden =
            table[action]!.side === 'target' && ['draft', 'submitted', 'withdrawn'].includes(state);
          expect({ action, status: res.status }).toEqual({ action, status: hidden ? 404 : 409 });
          if (!hidden) {
            expect(res.body.currentState).toBe(state);
            expect(Array.isArray(res.body.allowedActions)).toBe(true);
          }
        }
        const after = await t.dataSource.query(
          `SELECT status, version, updated_at FROM cross_border_request WHERE id = $1`,
          [r.id],
        );
        expect(after).toEqual(before);
      });
    }
  });

  it('a stale version answers 409', async () => {
    const r = await draft();
    await act(tf['kr.officer'], r.id, 'submit', r.version + 5).expect(409);
  });

  it('Idempotency-Key: 10 parallel replays create one draft; a different body with the same key is a 422', async () => {
    const body = aDraft(tf.cambodiaKoreaFramework, { subject: 'Idempotent draft' });
    const send = (b: object) => tf['kr.officer'].post(base, b).set('Idempotency-Key', 'key-0001-draft');
    const results = await Promise.all(Array.from({ length: 10 }, () => send(body)));
    const created = results.filter((r) => r.status === 201);
    expect(results.every((r) => [201, 409].includes(r.status))).toBe(true);
    const ids = new Set(created.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM cross_border_request WHERE subject = 'Idempotent draft'`,
    );
    expect(rows[0].n).toBe(1);
    const replay = await send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe([...ids][0]);
    await send({ ...body, subject: 'Another body' }).expect(422);
  });

  it('refuses bad input with 400 naming the field, never a 500', async () => {
    const fw = tf.cambodiaKoreaFramework;
    const cases: Array<[object, string]> = [
      [{ ...aDraft(fw), status: 'sent' }, 'status'],
      [{ ...aDraft(fw), priority: 'asap' }, 'priority'],
      [{ ...aDraft(fw), handlingCode: 'PURPLE' }, 'handlingCode'],
      [{ ...aDraft(fw), subject: 'x'.repeat(10_000) }, 'subject'],
      [{ ...aDraft(fw), targetCountry: 'Cambodia' }, 'targetCountry'],
      [{ ...aDraft(fw), frameworkId: 'not-a-uuid' }, 'frameworkId'],
      [{ ...aDraft(fw), identifiers: { phones: ['012 345'] } }, 'identifiers.phones'],
      [{ ...aDraft(fw), targetCountry: 'MY' }, 'frameworkId'],
      [{ ...aDraft(fw), targetCountry: 'KR' }, 'targetCountry'],
      [{ ...aDraft(fw), originCountry: 'KH', version: 3, approvedBy: 'x' }, 'originCountry'],
    ];
    for (const [body, field] of cases) {
      const res = await tf['kr.officer'].post(base, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const badId = await tf['kr.officer'].get(`${base}/not-a-uuid`).expect(400);
    expect(badId.body.errors[0].field).toBe('id');
    const badQuery = await tf['kr.officer'].get(`${base}?overdue=maybe&limit=500`).expect(400);
    expect(badQuery.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'overdue']);
  });

  it('RED requests are seen on the target side only by liaisons and the assigned officer', async () => {
    const r = await draft({ handlingCode: 'RED' });
    const s = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    const sent = await act(tf['kr.liaison'], r.id, 'approve', s.body.version).expect(200);
    await tf['kh.liaison'].get(`${base}/${r.id}`).expect(200);
    await tf['kh.officer'].get(`${base}/${r.id}`).expect(404);
    await tf['kh.auditor'].get(`${base}/${r.id}`).expect(404);
    const a = await act(tf['kh.liaison'], r.id, 'accept', sent.body.version).expect(200);
    await act(tf['kh.liaison'], r.id, 'assign', a.body.version, {
      assigneeId: await tf.userId('kh.officer'),
    }).expect(200);
    await tf['kh.officer'].get(`${base}/${r.id}`).expect(200);
    await tf['kh.officer2'].get(`${base}/${r.id}`).expect(404);
  });

  it('messages are open to both sides from sent on', async () => {
    const r = await draft();
    await tf['kr.officer'].post(`${base}/${r.id}/messages`, { body: 'too early' }).expect(409);
    const s = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    await act(tf['kr.liaison'], r.id, 'approve', s.body.version).expect(200);
    await tf['kh.liaison'].post(`${base}/${r.id}/messages`, { body: 'Which bank branch?' }).expect(201);
    await tf['kr.officer'].post(`${base}/${r.id}/messages`, { body: 'Phnom Penh main branch.' }).expect(201);
    const thread = await tf['kr.liaison'].get(`${base}/${r.id}/messages`).expect(200);
    expect(
      thread.body.map((m: { authorCountry: string; body: string }) => `${m.authorCountry}:${m.body}`),
    ).toEqual(['KH:Which bank branch?', 'KR:Phnom Penh main branch.']);
    await tf['my.liaison'].get(`${base}/${r.id}/messages`).expect(404);
  });

  it('filters by direction, status, counterpart and overdue', async () => {
    const r = await draft({ priority: 'immediate', subject: 'Overdue candidate' });
    const s = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    await act(tf['kr.liaison'], r.id, 'approve', s.body.version).expect(200);
    await t.dataSource.query(
      `UPDATE cross_border_request SET due_at = now() - interval '1 hour' WHERE id = $1`,
      [r.id],
    );
    const overdue = await tf['kh.liaison'].get(`${base}?direction=inbound&overdue=true`).expect(200);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toContain(r.id);
    expect(overdue.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    const notOverdue = await tf['kh.liaison'].get(`${base}?overdue=false&limit=200`).expect(200);
    expect(notOverdue.body.items.map((i: { id: string }) => i.id)).not.toContain(r.id);
    const outbound = await tf['kr.officer']
      .get(`${base}?direction=outbound&status=sent&counterpartCountry=KH&limit=200`)
      .expect(200);
    expect(
      outbound.body.items.every(
        (i: { status: string; targetCountry: string }) => i.status === 'sent' && i.targetCountry === 'KH',
      ),
    ).toBe(true);
  });

  it('a framework’s own answer times override the defaults', async () => {
    const platform = await signIn(t.server, 'platform.admin');
    const fw = await platform
      .post('/frameworks', {
        name: 'KR–KH rapid desk',
        members: ['KR', 'KH'],
        validFrom: '2025-01-01',
        dueHours: { urgent: 6 },
      })
      .expect(201);
    expect(fw.body.dueHours).toEqual({ urgent: 6 });
    await platform
      .post('/frameworks', {
        name: 'Bad hours',
        members: ['KR', 'KH'],
        validFrom: '2025-01-01',
        dueHours: { urgent: 0 },
      })
      .expect(400);
    const r = (await tf['kr.officer'].post(base, aDraft(fw.body.id, { priority: 'urgent' })).expect(201))
      .body;
    const s = await act(tf['kr.officer'], r.id, 'submit', r.version).expect(200);
    const sent = await act(tf['kr.liaison'], r.id, 'approve', s.body.version).expect(200);
    expect(new Date(sent.body.dueAt).getTime() - new Date(sent.body.sentAt).getTime()).toBe(6 * 3600_000);
  });
});
