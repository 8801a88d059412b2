import { aBankAccount } from '../asset-freezes/asset-freeze-scenario';
import { personKhGaveKr } from '../sharing/support';
import { givenIn, RequestView } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  broken,
  krFile,
  krUpload,
  myReadsNumber,
  NUMBER,
  requestPaths,
  round5,
  together,
  withdraw,
} from './race5-support';

/**
 * Probe race 5: a request's own files. KR's draft information request to MY carries a file; KR's officer
 * writes the number KH gave KR under AMBER onto the request's files — a file named with it, a new version
 * (`X-Supersedes`) named with it, the file withdrawn for it — while KR's liaison approves (sends) the
 * submitted request. A request's file goes to its other side as the draft stands (`attachFile`:
 * `counterpartCountry`), so the write is weighed for MY before and after the sending alike: one of the
 * two is refused (`release-refused`) and MY, reading the request, its files, thread and history, never
 * reads the number. The same writes on a request already sent are refused too.
 */
describe('A number KH gave KR, written on a request’s own files while the request is sent to MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 6;
  const BASE = '/information-requests';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  let accounts = 0;
  type Submitted = { base: string; request: RequestView; files: string; file: string };
  /** KR's request to MY with a file of its own (an information request's, a freeze target's), submitted. */
  const kinds: Record<string, (subject: string) => Promise<Submitted>> = {
    'an information request': async (subject) => {
      const builder = givenIn(tf).anInformationRequest().from('KR').sentTo('MY').with({ subject });
      const draft = await builder.drafted();
      const files = `${BASE}/${draft.id}/attachments`;
      const file = await krFile(t, tf, files, 'notes.txt');
      return { base: BASE, request: await builder.submitted(), files, file };
    },
    'a freeze target': async (subject) => {
      const builder = givenIn(tf)
        .aRequest('asset_freeze')
        .from('KR')
        .sentTo('MY')
        .with({
          subject,
          priority: 'immediate',
          targets: [aBankAccount({ accountNumber: `5140-${String(++accounts).padStart(4, '0')}-5678` })],
        });
      const draft = await builder.drafted();
      const targetId = (draft.targets as Array<{ id: string }>)[0]!.id;
      const files = `/asset-freeze-requests/${draft.id}/targets/${targetId}/attachments`;
      const file = await krFile(t, tf, files, 'notes.txt');
      return { base: '/asset-freeze-requests', request: await builder.submitted(), files, file };
    },
  };
  const approve = (s: Submitted) => () =>
    tf['kr.liaison'].post(`${s.base}/${s.request.id}/approve`, { version: s.request.version });
  const myPaths = (s: Submitted) => requestPaths(tf, s.base, s.request.id, [s.file], s.files);

  type Write = (s: Submitted) => () => PromiseLike<{ status: number; body: { type?: string } }>;
  const writes: Array<[string, Write]> = [
    ['a file named with the number', (s) => () => krUpload(t, tf, s.files, `handler ${NUMBER}.txt`)],
    [
      'a new version named with the number',
      (s) => () => krUpload(t, tf, s.files, `handler ${NUMBER}.txt`, { 'X-Supersedes': s.file }),
    ],
    [
      'the file withdrawn for the number',
      (s) => () => withdraw(tf['kr.officer'], s.file, `Wrong, it is ${NUMBER}`),
    ],
  ];
  const cases = Object.keys(kinds).flatMap((kind) =>
    writes.map(([what, write]) => [kind, what, write] as const),
  );

  it.each(cases)(
    '%s: %s, raced with the approve: one is refused, MY never reads the number',
    async (kind, what, write) => {
      const lines: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const s = await kinds[kind]!(`Files ${what} ${round}`);
        const [w, a] = await together(round, write(s), approve(s), round % 4 < 2 ? 1 : 5);
        lines.push(round5(round, { write: w, approve: a }, await myReadsNumber(tf, await myPaths(s))));
      }
      expect(broken(lines)).toEqual([]);
    },
    300_000,
  );

  it.each(cases)(
    '%s: %s, on a request already sent: refused, MY never reads the number',
    async (kind, what, write) => {
      const s = await kinds[kind]!(`Files after sending ${what}`);
      await approve(s)().then((r) => expect(r.status).toBe(200));
      const w = await write(s)();
      expect(broken([round5(0, { write: w }, await myReadsNumber(tf, await myPaths(s)))])).toEqual([]);
    },
    60_000,
  );

  it('the approve’s own comment carrying the number: MY’s history shows no number', async () => {
    const s = await kinds['an information request']!('Approved with a note');
    const a = await tf['kr.liaison'].post(`${BASE}/${s.request.id}/approve`, {
      version: s.request.version,
      comment: `Checked with ${NUMBER}`,
    });
    const leaked = await myReadsNumber(tf, await myPaths(s));
    // Either refused by the rule, or let through because MY never reads the origin's own note.
    expect({ approve: a.status === 200 || a.status === 409, leaked }).toEqual({
      approve: true,
      leaked: false,
    });
  });
});
