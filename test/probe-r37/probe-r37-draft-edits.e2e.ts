import { SENT_VERSION } from '../../src/workflow/sent-version';
import type { SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r37, draft edits as a partner (or a curious insider) would try them: a dispatch edited many
 * times and then sent, what each recipient reads of the origin's drafting; ids of records the caller
 * may not read named in an edit; bad input; an edit racing a submit.
 */
describe('Probe r37: editing drafts', () => {
  let t: TestApp;
  let tf: TaskForce;
  let body: string;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  type View = { id: string; version: number; [field: string]: unknown };
  const step = async (who: SignedIn, r: View, action: string, extra: object = {}): Promise<View> =>
    (await who.post(`${base}/${r.id}/${action}`, { version: r.version, ...extra }).expect(200)).body;
  const edit = (who: SignedIn, r: Pick<View, 'id' | 'version'>, changes: object) =>
    who.patch(`${base}/${r.id}`, { version: r.version, ...changes });
  const person = async (who: SignedIn, full: string, nationality: string): Promise<string> =>
    (
      await who
        .post('/persons', {
          names: [{ full, script: 'latin', kind: 'primary' }],
          nationalities: [nationality],
        })
        .expect(201)
    ).body.id;
  /** A problem body without what differs between any two answers (its request id and instance). */
  const shape = (res: { status: number; body: Record<string, unknown> }) => {
    const { instance: _i, requestId: _r, traceId: _t, ...rest } = res.body;
    return { status: res.status, ...rest };
  };

  it('a dispatch edited many times before sending: no recipient can tell how often, when, or what was taken out', async () => {
    const [kept, dropped] = [
      await person(tf['kr.officer'], 'KIM Stays', 'KR'),
      await person(tf['kr.officer'], 'KIM Goes', 'KR'),
    ];
    let d: View = (
      await tf['kr.officer']
        .post(base, aDraft(body, { alsoTo: ['MY'], subject: 'To KH and MY', personIds: [kept, dropped] }))
        .expect(201)
    ).body;
    for (const [i, changes] of [
      { subject: 'Edit one' },
      { personIds: [kept] },
      { subject: 'Edit three', priority: 'immediate' },
    ].entries()) {
      d = (await edit(i % 2 ? tf['kr.officer2'] : tf['kr.officer'], d, changes).expect(200)).body;
    }
    const toMy = (d.recipients as Array<{ country: string; requestId: string }>).find(
      (r) => r.country === 'MY',
    )!.requestId;
    const sent = await step(tf['kr.liaison'], await step(tf['kr.officer'], d, 'submit'), 'approve');
    for (const [who, id] of [
      [tf['kh.liaison'], d.id],
      [tf['my.liaison'], toMy],
    ] as const) {
      const view = (await who.get(`${base}/${id}`).expect(200)).body;
      // Each thread begins for its recipient when it was sent (threads are sent one after the other).
      expect(view).toMatchObject({ version: SENT_VERSION, createdAt: view.sentAt, personIds: [kept] });
      expect(Math.abs(Date.parse(view.sentAt) - Date.parse(sent.sentAt as string))).toBeLessThan(60_000);
      const history = (await who.get(`${base}/${id}/history`).expect(200)).body as Array<{ action: string }>;
      expect(history.map((h) => h.action)).toEqual(['approve']);
      await who.get(`/persons/${dropped}`).expect(404);
    }
    for (const [auditor, id] of [
      [tf['kh.auditor'], d.id],
      [tf['my.auditor'], toMy],
    ] as const) {
      const events = (await auditor.get(`/audit-events?recordId=${id}&limit=200`).expect(200)).body
        .items as Array<{
        action: string;
      }>;
      expect(events.map((e) => e.action)).not.toContain('request.draft_edited');
      expect(JSON.stringify(events)).not.toContain(dropped);
      expect(JSON.stringify(events)).not.toContain('Edit one');
    }
    // Nor do their notifications speak of the edits.
    for (const who of [tf['kh.liaison'], tf['my.liaison']]) {
      const items = (await who.get('/notifications?limit=200').expect(200)).body.items;
      expect(JSON.stringify(items)).not.toContain('Edit one');
      expect(JSON.stringify(items)).not.toContain(dropped);
    }
  });

  it('a person or a case of another country named in an edit reads exactly as an unknown id', async () => {
    const d: View = (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(201)).body;
    const khPerson = await person(tf['kh.officer'], 'SOK Hidden', 'KH');
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'KH own line r37' }).expect(201)).body.id;
    const unknown = '7d1b6a3e-2f4c-4e8a-9b1d-3c5e7f9a1b2c';
    const asPerson = await edit(tf['kr.officer'], d, { personIds: [khPerson] });
    const asUnknownPerson = await edit(tf['kr.officer'], d, { personIds: [unknown] });
    expect(asPerson.status).toBe(400);
    expect(shape(asPerson)).toEqual(shape(asUnknownPerson));
    const asCase = await edit(tf['kr.officer'], d, { caseId: khCase });
    const asUnknownCase = await edit(tf['kr.officer'], d, { caseId: unknown });
    expect(asCase.status).toBe(400);
    expect(shape(asCase)).toEqual(shape(asUnknownCase));
    // KH's draft edited by KR: as an unknown id.
    const khDraft = (
      await tf['kh.officer']
        .post(base, aDraft(tf.cambodiaKoreaFramework, { targetCountry: 'KR', subject: 'KH asks KR' }))
        .expect(201)
    ).body;
    const other = await edit(tf['kr.officer'], khDraft, { subject: 'Pry' });
    const none = await edit(tf['kr.officer'], { id: unknown, version: 1 }, { subject: 'Pry' });
    expect(other.status).toBe(404);
    expect(shape(other)).toEqual(shape(none));
    // Nothing changed by the refusals.
    expect((await tf['kr.officer'].get(`${base}/${d.id}`).expect(200)).body.version).toBe(d.version);
  });

  it('bad input to an edit is a 4xx problem with a machine-readable body, never a 500', async () => {
    const d: View = (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(201)).body;
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const bodies: unknown[] = [
      { version: d.version, subject: 'A\u0000B' },
      { version: d.version, subject: '\u200b\u200b' },
      { version: d.version, subject: 5 },
      { version: `${d.version}` },
      { version: d.version, questions: 'one' },
      { version: d.version, questions: [] },
      { version: d.version, questions: [5] },
      { version: d.version, questions: [''.padEnd(2001, 'q')] },
      { version: d.version, personIds: 'x' },
      { version: d.version, personIds: [1] },
      {
        version: d.version,
        personIds: Array.from({ length: 101 }, () => '7d1b6a3e-2f4c-4e8a-9b1d-3c5e7f9a1b2c'),
      },
      { version: d.version, personIds: ['7D1B6A3E-2F4C-4E8A-9B1D-3C5E7F9A1B2C'] },
      { version: d.version, identifiers: [] },
      { version: d.version, identifiers: { phones: 'x' } },
      { version: d.version, identifiers: { phones: [{}] } },
      { version: d.version, identifiers: { bankAccounts: [deep] } },
      { version: d.version, identifiers: deep },
      { version: d.version, caseId: 5 },
      { version: d.version, caseId: null },
      { version: d.version, subject: null },
      { version: d.version, priority: 'whenever' },
      { version: d.version, __proto__: { subject: 'x' } },
      { version: d.version, constructor: { prototype: { subject: 'x' } } },
      { version: d.version, frameworkId: null },
      { version: d.version, targetCountry: 'MY' },
      { version: 2 ** 53, subject: 'x' },
      { version: -1, subject: 'x' },
      { version: d.version },
      [],
      'text',
      null,
    ];
    const statuses: Array<[number, unknown]> = [];
    for (const b of bodies) {
      const res = await tf['kr.officer']
        .patch(`${base}/${d.id}`, b as object)
        .set('content-type', 'application/json');
      statuses.push([res.status, b]);
      expect([res.status, res.headers['content-type']]).toEqual([
        expect.any(Number),
        expect.stringContaining('application/problem+json'),
      ]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ type: expect.any(String), status: res.status });
    }
    // A non-UUID id, and an id of another shape.
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', `${d.id}%00`]) {
      const res = await tf['kr.officer'].patch(`${base}/${id}`, { version: 1, subject: 'x' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await tf['kr.officer'].get(`${base}/${d.id}`).expect(200)).body.version).toBe(d.version);
  });

  it('an edit racing a submit: exactly one wins, the loser changes nothing', async () => {
    for (let round = 0; round < 4; round++) {
      const d: View = (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(201)).body;
      const [edited, submitted] = await Promise.all([
        edit(tf['kr.officer2'], d, { subject: `Raced edit ${round}` }),
        tf['kr.officer'].post(`${base}/${d.id}/submit`, { version: d.version }),
      ]);
      expect([edited.status, submitted.status].sort()).toEqual([200, 409]);
      const after = (await tf['kr.officer'].get(`${base}/${d.id}`).expect(200)).body;
      const history = (await tf['kr.officer'].get(`${base}/${d.id}/history`).expect(200)).body as Array<{
        action: string;
      }>;
      if (edited.status === 200) {
        expect(after).toMatchObject({ status: 'draft', subject: `Raced edit ${round}` });
        expect(history.map((h) => h.action)).toEqual(['create', 'edit']);
      } else {
        expect(after).toMatchObject({ status: 'submitted', subject: d.subject });
        expect(history.map((h) => h.action)).toEqual(['create', 'submit']);
      }
    }
  });
});
