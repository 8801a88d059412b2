import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import type { SignedIn } from '../support/http';

/**
 * A list page builds its views from its one statement (`RequestKindHooks.listExtras`, allowed actions
 * by `WorkflowService.actionsKnown`); a request viewed alone goes through `viewExtras` and the guards'
 * own look-ups. Both must say the same thing, field for field and in the same order, for every caller:
 * each list item equals the request's own view.
 */
describe('Information request list items equal the requests viewed alone', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    // The demo's world: its multilateral framework lets one request go to KH and MY.
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const base = '/information-requests';

  it('for every status, persons, dispatches, overdue, and callers of each country', async () => {
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KIM Min-jun', family: 'Kim', given: 'Min-jun', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body as { id: string };
    const step = async (who: SignedIn, r: { id: string; version: number }, action: string, extra = {}) =>
      (await who.post(`${base}/${r.id}/${action}`, { version: r.version, ...extra }).expect(200)).body;
    const draft = async (overrides: object = {}) =>
      (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework, overrides)).expect(201)).body;

    await draft({ personIds: [person.id] });
    const submitted = await step(tf['kr.officer'], await draft(), 'submit');
    const red = await step(
      tf['kr.liaison'],
      await step(tf['kr.officer'], await draft({ handlingCode: 'RED' }), 'submit'),
      'approve',
    );
    const accepted = await step(
      tf['kh.liaison'],
      await step(tf['kr.liaison'], await step(tf['kr.officer'], await draft(), 'submit'), 'approve'),
      'accept',
    );
    const assigned = await step(tf['kh.liaison'], accepted, 'assign', {
      assigneeId: await tf.userId('kh.officer'),
    });
    await step(tf['kh.officer'], assigned, 'fulfil', {
      findings: { summary: 'Registered to a nominee.', identifiers: { phones: ['+85598765432'] } },
    });
    await step(tf['kr.officer'], submitted, 'withdraw');
    // One request to two countries; its recipients may see each other.
    const [{ id: multilateral }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    const dispatch = await draft({ frameworkId: multilateral, alsoTo: ['MY'], recipientsVisible: true });
    await step(tf['kr.liaison'], await step(tf['kr.officer'], dispatch, 'submit'), 'approve');
    // And one overdue (due an hour ago).
    await t.dataSource.query(
      `UPDATE cross_border_request SET due_at = now() - interval '1 hour' WHERE id = $1`,
      [red.id],
    );

    for (const who of [
      'kr.officer',
      'kr.officer2',
      'kr.liaison',
      'kr.auditor',
      'kh.liaison',
      'kh.officer',
      'kh.officer2',
      'my.liaison',
    ]) {
      const caller = tf[who as keyof TaskForce] as SignedIn;
      const page = (await caller.get(`${base}?limit=200`).expect(200)).body as {
        items: Array<{ id: string }>;
      };
      expect(page.items.length).toBeGreaterThan(0);
      if (who === 'kh.liaison')
        expect(page.items.map((i) => (i as { overdue?: boolean }).overdue)).toContain(true);
      for (const item of page.items) {
        const alone = (await caller.get(`${base}/${item.id}`).expect(200)).body;
        // Same fields in the same order, same values.
        expect(JSON.stringify(item)).toEqual(JSON.stringify(alone));
      }
    }
  });
});
