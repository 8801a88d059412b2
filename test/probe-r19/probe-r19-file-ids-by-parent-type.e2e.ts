import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { aPdf, upload } from '../attachments/attachment-support';
import { loadRoutes, Route, send } from '../security/security-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { answerOf, FiledRecord, krFilesOnEveryParentType, PARTNERS } from './r19-support';

/**
 * Probe r19: a single file's read now looks its parent type up first and runs a statement holding
 * only that type's rule (e08e263); lists name their type. KR files hang on a record of every type a
 * file hangs on, in every state that decides who reads it (unshared, shared and unshared, drafts, sent,
 * RED, withdrawn), each in two versions. For every KH and MY reader, auditors included, and every route
 * the app serves under `/attachments/{id}`: a file whose record the reader may not read answers exactly
 * as an id that never existed (status, type, body, header names); one whose record it reads is read
 * there exactly when the record's list shows it. A new version naming either one (`X-Supersedes`) on
 * the reader's own case answers as one naming an id that never existed.
 */
describe('Probe r19: file ids on every type of record, read through every file route', () => {
  let t: TestApp;
  let tf: TaskForce;
  let files: FiledRecord[];
  let fileRoutes: Route[];
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    files = await krFilesOnEveryParentType(t, tf);
    fileRoutes = (await loadRoutes(t)).filter((r) => r.path.startsWith('/api/v1/attachments/{id}'));
  }, 120_000);
  afterAll(() => t?.close());

  const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const bodyOf = (route: Route) =>
    route.method === 'GET' ? undefined : route.path.endsWith('/withdraw') ? { reason: 'Probe r19' } : {};

  it('enumerates the single-file routes the app serves', () => {
    // The routes this probe walks: a new one under /attachments/{id} joins the walk by itself.
    expect(fileRoutes.map((r) => r.key).sort()).toEqual(
      expect.arrayContaining([
        'GET /api/v1/attachments/{id}',
        'GET /api/v1/attachments/{id}/content',
        'POST /api/v1/attachments/{id}/verify',
        'POST /api/v1/attachments/{id}/withdraw',
      ]),
    );
  });

  // One test per reader: a walk of every reader took over a minute on a loaded CI machine.
  for (const name of PARTNERS)
    it(`answers a file ${name} may not read (its record hidden, or replaced before the record reached it) as an id that never existed, on every file route and in any case of letters, and the list and upload of its record as of a record that never existed`, async () => {
      const differences: string[] = [];
      let hidden = 0;
      // An id that never existed gets one answer per route, letter case and record type (its path):
      // asked once and compared with every hidden file's and record's, as probe-not-found-bodies does.
      const neverAnswers = new Map<string, ReturnType<typeof answerOf>>();
      const neverAnswer = async (key: string, ask: () => Promise<request.Response>) => {
        let answer = neverAnswers.get(key);
        if (!answer) neverAnswers.set(key, (answer = answerOf(await ask())));
        return answer;
      };
      {
        const who = tf[name];
        const token = who.tokens.accessToken;
        for (const record of files) {
          const list = await who.get(record.list);
          expect([200, 404]).toContain(list.status);
          if (list.status === 404) {
            // The record's own file routes (list, upload) answer as for records that never existed.
            const never = record.list.replace(UUIDS, () => randomUUID());
            const pdf = aPdf(2_000, 'r19-hidden-parent');
            const pairs: Array<[string, () => Promise<request.Response>, () => Promise<request.Response>]> = [
              ['list', async () => who.get(record.list), async () => who.get(never)],
              [
                'upload',
                async () => upload(t, who, record.list, pdf, 'x.pdf'),
                async () => upload(t, who, never, pdf, 'x.pdf'),
              ],
            ];
            for (const [what, seen, none] of pairs) {
              hidden++;
              const a = answerOf(await seen());
              const b = await neverAnswer(`${what} ${record.list.replace(UUIDS, '{id}')}`, none);
              if (JSON.stringify(a) !== JSON.stringify(b))
                differences.push(
                  `${name} ${what} ${record.label}: ${JSON.stringify(a)} vs never ${JSON.stringify(b)}`,
                );
            }
          }
          // A record it reads: the files its list leaves out (replaced before the record reached it).
          const listed = new Set(
            list.status === 200 ? (list.body.items as Array<{ id: string }>).map((a) => a.id) : [],
          );
          for (const id of [record.v1, record.v2].filter((x) => !listed.has(x)))
            for (const spelled of [id, id.toUpperCase()]) {
              const never = spelled === id ? randomUUID() : randomUUID().toUpperCase();
              for (const route of fileRoutes) {
                hidden++;
                const url = (x: string) => route.path.replace('{id}', x);
                const seen = answerOf(await send(t, route.method, url(spelled), token, bodyOf(route)));
                const none = await neverAnswer(
                  `${route.key} ${spelled === id ? 'as stored' : 'upper case'}`,
                  () => send(t, route.method, url(never), token, bodyOf(route)),
                );
                if (JSON.stringify(seen) !== JSON.stringify(none))
                  differences.push(
                    `${name} ${route.key} ${record.label} (${spelled === id ? 'as stored' : 'upper case'}): ${JSON.stringify(seen)} vs never ${JSON.stringify(none)}`,
                  );
              }
            }
        }
      }
      expect(differences).toEqual([]);
      expect(hidden).toBeGreaterThan(25);
    });

  it('reads a file of a record the reader reads exactly when the record lists it, as listed, naming only versions it reads', async () => {
    const differences: string[] = [];
    let read = 0;
    for (const name of PARTNERS) {
      const who = tf[name];
      for (const record of files) {
        const list = await who.get(record.list);
        if (list.status !== 200) continue;
        const items = list.body.items as Array<{
          id: string;
          supersedes: string | null;
          supersededBy: string | null;
        }>;
        const listed = new Set(items.map((a) => a.id));
        for (const id of [record.v1, record.v2]) {
          read++;
          const single = await who.get(`/attachments/${id}`);
          if ((single.status === 200) !== listed.has(id) || ![200, 404].includes(single.status))
            differences.push(
              `${name} ${record.label} ${id}: listed ${listed.has(id)}, read ${single.status}`,
            );
          if (single.status !== 200) continue;
          // The single read says what the list says, and its versions are files the reader reads.
          if (JSON.stringify(single.body) !== JSON.stringify(items.find((a) => a.id === id)))
            differences.push(
              `${name} ${record.label} ${id}: read ${JSON.stringify(single.body)} but listed otherwise`,
            );
          for (const other of [single.body.supersedes, single.body.supersededBy] as Array<string | null>)
            if (other !== null && !listed.has(other))
              differences.push(
                `${name} ${record.label} ${id}: names version ${other}, which it does not read`,
              );
        }
        // Each version the reader reads names the other where it reads both.
        if (listed.has(record.v1) && listed.has(record.v2)) {
          const [v1, v2] = [record.v1, record.v2].map((x) => items.find((a) => a.id === x)!);
          if (v1.supersededBy !== record.v2 || v2.supersedes !== record.v1)
            differences.push(`${name} ${record.label}: versions not chained (${JSON.stringify([v1, v2])})`);
        }
      }
    }
    expect(differences).toEqual([]);
    // MY reads the shared case; KH reads the sent request, freeze target and proposal.
    expect(read).toBeGreaterThan(10);
  });

  it("answers a new version naming another country's file as one naming an id that never existed", async () => {
    const own: Record<string, string> = {};
    for (const country of ['kh', 'my'] as const)
      own[country] = (
        await tf[`${country}.officer`].post('/cases', { title: `${country} own case r19` }).expect(201)
      ).body.id as string;
    const differences: string[] = [];
    for (const name of PARTNERS) {
      const who = tf[name];
      const path = `/cases/${own[name.slice(0, 2)]}/attachments`;
      const attempt = async (supersedes: string) =>
        answerOf(
          await upload(t, who, path, aPdf(2_000, 'r19-version'), 'v.pdf', { 'X-Supersedes': supersedes }),
        );
      const none = await attempt(randomUUID());
      expect(none.status).toBeGreaterThanOrEqual(400);
      for (const record of files)
        for (const id of [record.v1, record.v2]) {
          const seen = await attempt(id);
          if (JSON.stringify(seen) !== JSON.stringify(none))
            differences.push(
              `${name} ${record.label}: ${JSON.stringify(seen)} vs never ${JSON.stringify(none)}`,
            );
        }
    }
    expect(differences).toEqual([]);
  });
});
