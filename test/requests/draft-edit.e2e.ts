import { accountKey, phoneKeys } from '../../src/sharing/identifier-keys';
import { aBankAccount } from '../asset-freezes/asset-freeze-scenario';
import { signIn, type SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A draft, and in particular one the origin's liaison returned, is edited in place
 * (`PATCH /<kind>/:id`) instead of being withdrawn and drafted again: the thread, its history and its
 * attachments stay. Only the origin's officers edit a draft, only while it is a draft; the target is
 * told nothing and, once the request is sent, reads it as it stood when sent.
 */
describe('Editing a draft request', () => {
  let t: TestApp;
  let tf: TaskForce;
  let body: string;
  beforeAll(async () => {
    // The demo as `npm start` seeds it: its multilateral body lets one request go to KH and MY.
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  type View = { id: string; version: number; status: string; [field: string]: unknown };
  const draft = async (overrides: object = {}): Promise<View> =>
    (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework, overrides)).expect(201)).body;
  const step = async (who: SignedIn, r: View, action: string, extra: object = {}): Promise<View> =>
    (await who.post(`${base}/${r.id}/${action}`, { version: r.version, ...extra }).expect(200)).body;
  const edit = (who: SignedIn, r: Pick<View, 'id' | 'version'>, changes: object, path = base) =>
    who.patch(`${path}/${r.id}`, { version: r.version, ...changes });
  const person = async (full: string): Promise<string> =>
    (
      await tf['kr.officer']
        .post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }], nationalities: ['KR'] })
        .expect(201)
    ).body.id;
  const problem = (res: { body: Record<string, unknown> }) => ({
    type: res.body.type,
    title: res.body.title,
    status: res.body.status,
    detail: res.body.detail,
  });

  it('returned for changes, edited, submitted and approved: the target reads the edited request', async () => {
    const [kept, dropped, added] = [
      await person('KIM Kept'),
      await person('KIM Dropped'),
      await person('KIM Added'),
    ];
    const drafted = await draft({ personIds: [kept, dropped], priority: 'routine' });
    const returned = await step(tf['kr.liaison'], await step(tf['kr.officer'], drafted, 'submit'), 'return', {
      comment: 'Ask about the wallet too, and it is urgent',
    });
    expect(returned.status).toBe('draft');

    const edited = await edit(tf['kr.officer'], returned, {
      subject: 'Who holds +85512345678 and the compound wallet?',
      priority: 'immediate',
      questions: [
        'Subscriber of +85512345678?',
        'Who controls wallet 0x52908400098527886e0f7030069857d2e4169ee7?',
      ],
      identifiers: {
        phones: ['+85512345678'],
        cryptoAddresses: [{ chain: 'ethereum', address: '0x52908400098527886e0f7030069857d2e4169ee7' }],
      },
      personIds: [kept, added],
    }).expect(200);
    expect(edited.body).toMatchObject({
      id: drafted.id,
      status: 'draft',
      version: returned.version + 1,
      subject: 'Who holds +85512345678 and the compound wallet?',
      priority: 'immediate',
      personIds: [kept, added].sort(),
    });
    expect(edited.body.identifiers).toEqual({
      phones: ['+85512345678'],
      cryptoAddresses: [{ chain: 'ethereum', address: '0x52908400098527886e0f7030069857d2e4169ee7' }],
    });
    expect(new Date(edited.body.updatedAt).getTime()).toBeGreaterThan(
      new Date(returned.updatedAt as string).getTime(),
    );
    // The same thread: its history reads create, submit, return, edit.
    const history = (await tf['kr.officer'].get(`${base}/${drafted.id}/history`).expect(200)).body;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'submit', 'return', 'edit']);
    expect(history[3]).toMatchObject({ fromStatus: 'draft', toStatus: 'draft', actorUsername: 'kr.officer' });
    // The persons put on and taken off each show the edit in their own timeline; the one kept does not.
    const personTimeline = async (personId: string) =>
      (
        await tf['kr.auditor']
          .get(`/audit-events/timeline?recordType=person&recordId=${personId}&limit=200`)
          .expect(200)
      ).body.items.map((e: { action: string }) => e.action);
    expect(await personTimeline(added)).toContain('request.draft_edited');
    expect(await personTimeline(dropped)).toContain('request.draft_edited');
    expect(await personTimeline(kept)).not.toContain('request.draft_edited');

    const sent = await step(tf['kr.liaison'], await step(tf['kr.officer'], edited.body, 'submit'), 'approve');
    const inbound = (await tf['kh.liaison'].get(`${base}/${drafted.id}`).expect(200)).body;
    expect(inbound).toMatchObject({
      status: 'sent',
      subject: 'Who holds +85512345678 and the compound wallet?',
      priority: 'immediate',
      questions: [
        'Subscriber of +85512345678?',
        'Who controls wallet 0x52908400098527886e0f7030069857d2e4169ee7?',
      ],
      personIds: [kept, added].sort(),
    });
    expect(inbound.identifiers.cryptoAddresses).toHaveLength(1);
    expect(inbound.identifiers.bankAccounts).toBeUndefined();
    // Due by the edited priority (4 hours for `immediate`).
    expect(new Date(sent.dueAt as string).getTime() - new Date(sent.sentAt as string).getTime()).toBe(
      4 * 3600_000,
    );
    // The person taken off the draft never reached KH; the one added did.
    await tf['kh.liaison'].get(`/persons/${added}`).expect(200);
    await tf['kh.liaison'].get(`/persons/${dropped}`).expect(404);
    // KH received what the request carried when sent, not the account number taken out of the draft.
    const received: Array<{ identifier: string }> = await t.dataSource.query(
      `SELECT DISTINCT identifier FROM identifier_provenance WHERE via_type = 'request' AND via_id = $1`,
      [drafted.id],
    );
    const keys = received.map((r) => r.identifier);
    expect(keys).toEqual(expect.arrayContaining(phoneKeys('+85512345678')));
    expect(keys).not.toContain(accountKey('000123456'));
    const releases: Array<{ person_id: string }> = await t.dataSource.query(
      `SELECT person_id FROM person_provenance WHERE via_type = 'request' AND via_id = $1`,
      [drafted.id],
    );
    expect(releases.map((r) => r.person_id)).not.toContain(dropped);
  });

  it('refuses an edit once the request is no longer a draft (409, the wrong-state problem)', async () => {
    const submitted = await step(tf['kr.officer'], await draft(), 'submit');
    const res = await edit(tf['kr.officer'], submitted, { subject: 'Too late' }).expect(409);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/illegal-transition$/),
      currentState: 'submitted',
    });
    const sent = await step(tf['kr.liaison'], submitted, 'approve');
    const late = await edit(tf['kr.officer'], sent, { subject: 'Too late' }).expect(409);
    expect(late.body).toMatchObject({
      type: expect.stringMatching(/illegal-transition$/),
      currentState: 'sent',
    });
    // The target reads a sent request; editing it is refused all the same.
    await edit(tf['kh.officer'], sent, { subject: 'Not ours' }).expect(409);
    expect((await tf['kh.liaison'].get(`${base}/${sent.id}`).expect(200)).body).toMatchObject({
      subject: sent.subject,
      version: sent.version,
    });
  });

  it("another country's draft answers 404 exactly as an unknown id; a wrong role 403", async () => {
    const d = await draft();
    const foreign = await edit(tf['kh.officer'], d, { subject: 'Probing' }).expect(404);
    const unknown = await edit(
      tf['kh.officer'],
      { id: '00000000-0000-4000-8000-000000000000', version: 1 },
      { subject: 'Probing' },
    ).expect(404);
    expect(problem(foreign)).toEqual(problem(unknown));
    // Drafting is an officer's: so is editing (the liaison approves what officers wrote).
    await edit(tf['kr.liaison'], d, { subject: 'Rewritten by the approver' }).expect(403);
    await edit(tf['kr.auditor'], d, { subject: 'Rewritten by an auditor' }).expect(403);
    expect((await tf['kr.officer'].get(`${base}/${d.id}`).expect(200)).body).toMatchObject({
      subject: d.subject,
      version: d.version,
    });
  });

  it('a stale version answers 409 and changes nothing; a save of the same changes nothing', async () => {
    const d = await draft();
    const first = (await edit(tf['kr.officer'], d, { subject: 'First edit' }).expect(200)).body;
    const stale = await edit(tf['kr.officer2'], d, { subject: 'Second edit, from a stale form' }).expect(409);
    expect(stale.body.type).toMatch(/conflict$/);
    const now = (await tf['kr.officer'].get(`${base}/${d.id}`).expect(200)).body;
    expect(now).toMatchObject({ subject: 'First edit', version: first.version });
    const same = (await edit(tf['kr.officer'], now, { subject: 'First edit' }).expect(200)).body;
    expect(same).toMatchObject({ subject: 'First edit', version: first.version, updatedAt: now.updatedAt });
  });

  it('each edit is audited, naming the fields it changed; the target hears nothing, its auditors read nothing', async () => {
    const countTold = async () =>
      (
        await t.dataSource.query(
          `SELECT (SELECT count(*) FROM notification)::int AS notifications,
                  (SELECT count(*) FROM webhook_delivery)::int AS deliveries`,
        )
      )[0];
    // The statistics of the year to now, without the window's own bounds (they move with the clock).
    const khStats = async () => {
      const { from: _from, to: _to, ...stats } = (await tf['kh.liaison'].get('/stats').expect(200)).body;
      return stats;
    };
    const inboundOfKh = async () =>
      ((await tf['kh.liaison'].get(`${base}?limit=200`).expect(200)).body.items as View[]).map((r) => r.id);
    const d = await draft();
    const [toldBefore, statsBefore] = [await countTold(), await khStats()];

    const edited = (
      await edit(tf['kr.officer'], d, {
        subject: 'Who holds the Golden Fortune accounts?',
        priority: 'routine',
      }).expect(200)
    ).body;
    const events = (await tf['kr.auditor'].get(`/audit-events?recordId=${d.id}&limit=200`).expect(200)).body
      .items;
    const event = events.find((e: { action: string }) => e.action === 'request.draft_edited');
    expect(event).toBeDefined();
    expect(event.actor).toMatchObject({ username: 'kr.officer', country: 'KR' });
    expect(JSON.stringify(event)).toContain('Who holds the Golden Fortune accounts?');
    const [row] = await t.dataSource.query(
      `SELECT details, changes FROM audit_event WHERE record_id = $1 AND action = 'request.draft_edited'`,
      [d.id],
    );
    expect(row.details.changed).toEqual(['subject', 'priority']);
    expect(row.changes).toMatchObject({
      before: { subject: d.subject, priority: 'urgent', version: d.version },
      after: {
        subject: 'Who holds the Golden Fortune accounts?',
        priority: 'routine',
        version: edited.version,
      },
    });

    // Nothing is told to KH: no notification or webhook, no change of its lists or statistics.
    expect(await countTold()).toEqual(toldBefore);
    expect(await khStats()).toEqual(statsBefore);
    expect(await inboundOfKh()).not.toContain(d.id);
    const khAudit = async () =>
      (await tf['kh.auditor'].get(`/audit-events?recordId=${d.id}&limit=200`).expect(200)).body.items.map(
        (e: { action: string }) => e.action,
      );
    expect(await khAudit()).toEqual([]);
    // Sent, KH's auditors read the request from its sending on: never the draft or its edits.
    await step(tf['kr.liaison'], await step(tf['kr.officer'], edited, 'submit'), 'approve');
    const readByKh = await khAudit();
    expect(readByKh).toContain('request.approve');
    expect(readByKh).not.toContain('request.draft_edited');
    expect(readByKh).not.toContain('request.create');
    const khHistory = (await tf['kh.liaison'].get(`${base}/${d.id}/history`).expect(200)).body;
    expect(khHistory.map((h: { action: string }) => h.action)).toEqual(['approve']);
  });

  it('refuses bad input with 400 and a machine-readable body, never a 500', async () => {
    const d = await draft();
    const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) =>
      (res.body.errors ?? []).map((e) => e.field);
    const refused = async (changes: object) => {
      const res = await tf['kr.officer'].patch(`${base}/${d.id}`, changes).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return res;
    };
    expect(fieldsOf(await refused({ version: d.version, subject: 'NUL \u0000 inside' }))).toContain(
      'subject',
    );
    expect(fieldsOf(await refused({ version: d.version, priority: 5 }))).toContain('priority');
    expect(fieldsOf(await refused({ version: d.version, questions: 'not a list' }))).toContain('questions');
    expect(fieldsOf(await refused({ version: d.version, subject: null }))).toContain('subject');
    expect(fieldsOf(await refused({ version: d.version, personIds: null }))).toContain('personIds');
    expect(fieldsOf(await refused({ version: d.version, colour: 'blue' }))).toContain('colour');
    expect(fieldsOf(await refused({ subject: 'No version' }))).toContain('version');
    expect(fieldsOf(await refused({}))).toContain('version');
    const nothing = await refused({ version: d.version });
    expect(nothing.body.detail).toBe('Nothing to change.');
    // What an edit does not change is refused by name, with the reason.
    const target = await refused({ version: d.version, targetCountry: 'MY' });
    expect(target.body.errors).toEqual([
      {
        field: 'targetCountry',
        message: expect.stringMatching(/^targetCountry cannot be changed on a draft: /),
      },
    ]);
    expect(fieldsOf(await refused({ version: d.version, handlingCode: 'RED' }))).toEqual(['handlingCode']);
    expect(fieldsOf(await refused({ version: d.version, alsoTo: ['MY'] }))).toEqual(['alsoTo']);
    // A person the caller cannot see is named as on a create.
    const unseen = await refused({ version: d.version, personIds: ['00000000-0000-4000-8000-000000000001'] });
    expect(fieldsOf(unseen)).toEqual(['personIds']);
    expect((await tf['kr.officer'].get(`${base}/${d.id}`).expect(200)).body).toMatchObject({
      subject: d.subject,
      version: d.version,
    });
  });

  it('edits every thread of a request to several countries, each weighed for its own country', async () => {
    const drafted = (
      await tf['kr.officer']
        .post(base, aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'], subject: 'To KH and MY' }))
        .expect(201)
    ).body;
    const edited = (await edit(tf['kr.officer'], drafted, { subject: 'To KH and MY, edited' }).expect(200))
      .body;
    const threads = edited.recipients as Array<{ country: string; requestId: string }>;
    const toMy = threads.find((r) => r.country === 'MY')!.requestId;
    const myThread = (await tf['kr.officer'].get(`${base}/${toMy}`).expect(200)).body;
    expect(myThread).toMatchObject({ subject: 'To KH and MY, edited', status: 'draft', version: 2 });
    // One approval sends both threads as edited.
    await step(tf['kr.liaison'], await step(tf['kr.officer'], edited, 'submit'), 'approve');
    expect((await tf['my.liaison'].get(`${base}/${toMy}`).expect(200)).body.subject).toBe(
      'To KH and MY, edited',
    );
    expect((await tf['kh.liaison'].get(`${base}/${drafted.id}`).expect(200)).body.subject).toBe(
      'To KH and MY, edited',
    );
  });

  it('every kind edits its draft’s subject and priority; its other fields are refused by name', async () => {
    const path = '/asset-freeze-requests';
    const freeze = (
      await tf['kr.officer']
        .post(path, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Freeze the ABA account 8811-2026-0420',
          targets: [aBankAccount({ accountNumber: '8811-2026-0420' })],
        })
        .expect(201)
    ).body;
    const edited = (
      await edit(
        tf['kr.officer'],
        freeze,
        { subject: 'Freeze the ABA account 8811-2026-0420 at once', priority: 'immediate' },
        path,
      ).expect(200)
    ).body;
    expect(edited).toMatchObject({ status: 'draft', priority: 'immediate', version: freeze.version + 1 });
    const targets = await edit(tf['kr.officer'], edited, { targets: [] }, path).expect(400);
    expect(targets.body.errors.map((e: { field: string }) => e.field)).toEqual(['targets']);
    // A number taken out of the subject that its targets still carry: the kind says so (`draftNumbers`).
    const taken = (
      await edit(tf['kr.officer'], edited, { subject: 'Freeze the ABA account at once' }, path).expect(200)
    ).body;
    // Sent, the target reads the edited header.
    const submitted = (
      await tf['kr.officer'].post(`${path}/${freeze.id}/submit`, { version: taken.version }).expect(200)
    ).body;
    await tf['kr.liaison'].post(`${path}/${freeze.id}/approve`, { version: submitted.version }).expect(200);
    expect((await tf['kh.liaison'].get(`${path}/${freeze.id}`).expect(200)).body).toMatchObject({
      subject: 'Freeze the ABA account at once',
      priority: 'immediate',
    });
  });

  it('a liaison who edited a draft as an officer may not approve it (four eyes)', async () => {
    // An account with both roles, as a small unit may have (made here directly: role changes need two admins).
    await t.dataSource.query(
      `UPDATE app_user SET roles = '{officer,liaison}' WHERE username = 'kr.liaison2'`,
    );
    const both = await signIn(t.server, 'kr.liaison2');
    const returned = await step(
      tf['kr.liaison'],
      await step(tf['kr.officer'], await draft(), 'submit'),
      'return',
    );
    const edited = (await edit(both, returned, { subject: 'Reworded by the second liaison' }).expect(200))
      .body;
    const submitted = await step(tf['kr.officer'], edited, 'submit');
    expect(
      (await both.get(`${base}/${submitted.id}`).expect(200)).body.allowedActions as string[],
    ).not.toContain('approve');
    const refused = await both
      .post(`${base}/${submitted.id}/approve`, { version: submitted.version })
      .expect(403);
    expect(refused.body.detail).toMatch(/drafted, edited or submitted/);
    await step(tf['kr.liaison'], submitted, 'approve');
  });
});
