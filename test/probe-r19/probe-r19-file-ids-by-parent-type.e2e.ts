import { randomUUID } from 'node:crypto';
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

  it('answers a file the reader may not read (its record hidden, or replaced before the record reached it) as an id that never existed, on every route and in any case of letters', async () => {
    const differences: string[] = [];
    let hidden = 0;
    for (const name of PARTNERS) {
      const who = tf[name];
      const token = who.tokens.accessToken;
      for (const record of files) {
        const list = await who.get(record.list);
        expect([200, 404]).toContain(list.status);
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
              const none = answerOf(await send(t, route.method, url(never), token, bodyOf(route)));
              if (JSON.stringify(seen) !== JSON.stringify(none))
                differences.push(
                  `${name} ${route.key} ${record.label} (${spelled === id ? 'as stored' : 'upper case'}): ${JSON.stringify(seen)} vs never ${JSON.stringify(none)}`,
                );
            }
          }
      }
    }
    expect(differences).toEqual([]);
    expect(hidden).toBeGreaterThan(200);
  });

  it('reads a file of a record the reader reads exactly when the record lists it', async () => {
    const differences: string[] = [];
    let read = 0;
    for (const name of PARTNERS) {
      const who = tf[name];
      for (const record of files) {
        const list = await who.get(record.list);
        if (list.status !== 200) continue;
        const listed = new Set((list.body.items as Array<{ id: string }>).map((a) => a.id));
        for (const id of [record.v1, record.v2]) {
          read++;
          const single = await who.get(`/attachments/${id}`);
          if ((single.status === 200) !== listed.has(id) || ![200, 404].includes(single.status))
            differences.push(
              `${name} ${record.label} ${id}: listed ${listed.has(id)}, read ${single.status}`,
            );
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
