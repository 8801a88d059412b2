import { taskForce, TaskForce } from '../../support/scenario';
import type { SignedIn } from '../../support/http';
import { createTestApp, TestApp } from '../../support/test-app';

const DAY_MS = 86_400_000;

interface Figures {
  requests: Array<{
    kind: string;
    direction: string;
    counterpartCountry: string;
    status: string;
    count: number;
  }>;
  sentToAccepted: Array<{ kind: string; direction: string; count: number }>;
}

/**
 * Probe: what `/stats` tells a target about when the origin drafted a request. The target reads a
 * request from its sending on (its `createdAt` is its `sentAt`); the request figures counted it in the
 * period of its creation, so the target could ask for the day (or, at a period's partial ends, the
 * millisecond) the origin began drafting it and find it counted there. Both ways a period is summed —
 * whole days and months (the rollup tables) and partial days (the requests' own rows) — for the
 * counts and the durations.
 */
describe('Probe: /stats counts a request for its target from when it was sent, not from its drafting', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const figures = async (who: SignedIn, from: Date, to: Date) =>
    (await who.get(`/stats?from=${from.toISOString()}&to=${to.toISOString()}`).expect(200)).body as Figures;
  /** The information requests between KR and KH a figure counts, by direction and status. */
  const ours = (f: Figures) => ({
    requests: f.requests
      .filter((r) => r.kind === 'information')
      .map((r) => `${r.direction} ${r.counterpartCountry} ${r.status} ${r.count}`)
      .sort(),
    sentToAccepted: f.sentToAccepted
      .filter((d) => d.kind === 'information')
      .map((d) => `${d.direction} ${d.count}`)
      .sort(),
  });

  it('KH finds the request it received on the day it was sent, and nowhere in the days KR drafted it', async () => {
    const base = '/information-requests';
    const draft = (
      await tf['kr.officer']
        .post(base, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Drafted days before it was sent',
          questions: ['Who runs it?'],
        })
        .expect(201)
    ).body;
    // KR began drafting it four days and a half ago (the rollup follows the row, as for any fix).
    await t.dataSource.query(
      `UPDATE cross_border_request SET created_at = date_trunc('day', now()) - interval '4 days' + interval '11 hours 7 minutes'
        WHERE id = $1`,
      [draft.id],
    );
    const [{ created_at: createdAt }] = await t.dataSource.query(
      `SELECT created_at FROM cross_border_request WHERE id = $1`,
      [draft.id],
    );
    const drafted = new Date(createdAt);
    const draftingDay = new Date(Math.floor(drafted.getTime() / DAY_MS) * DAY_MS);
    const windows: Array<[string, Date, Date]> = [
      ['the whole drafting day (rollup)', draftingDay, new Date(draftingDay.getTime() + DAY_MS)],
      ['the drafting millisecond (rows)', new Date(drafted.getTime() - 1), new Date(drafted.getTime() + 1)],
      [
        'the drafting hour (rows)',
        new Date(drafted.getTime() - 1_800_000),
        new Date(drafted.getTime() + 1_800_000),
      ],
      ['three whole days from the drafting day', draftingDay, new Date(draftingDay.getTime() + 3 * DAY_MS)],
    ];
    const khBefore = await Promise.all(windows.map(([, from, to]) => figures(tf['kh.liaison'], from, to)));

    let version = draft.version as number;
    for (const [who, action] of [
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
      [tf['kh.liaison'], 'accept'],
    ] as const)
      version = (await who.post(`${base}/${draft.id}/${action}`, { version }).expect(200)).body.version;

    for (const [i, [window, from, to]] of windows.entries())
      for (const who of [tf['kh.liaison'], tf['kh.officer']])
        expect({ window, who: who.username, ...ours(await figures(who, from, to)) }).toEqual({
          window,
          who: who.username,
          ...ours(khBefore[i]!),
        });

    // Where KH does find it: the period it was sent in, by the day and by the rows.
    const sentAt = new Date((await tf['kh.liaison'].get(`${base}/${draft.id}`).expect(200)).body.sentAt);
    const sentDay = new Date(Math.floor(sentAt.getTime() / DAY_MS) * DAY_MS);
    for (const [from, to] of [
      [sentDay, new Date(sentDay.getTime() + 2 * DAY_MS)],
      [new Date(sentAt.getTime() - 1), new Date(sentAt.getTime() + 1)],
    ]) {
      const f = ours(await figures(tf['kh.liaison'], from!, to!));
      expect(f.requests).toContain('inbound KR accepted 1');
      expect(f.sentToAccepted).toContain('inbound 1');
    }
    // KR counts its own request from when it began drafting it, as before.
    const kr = ours(await figures(tf['kr.liaison'], windows[1]![1], windows[1]![2]));
    expect(kr.requests).toContain('outbound KH accepted 1');
  });
});
