import { personKhGaveKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  broken,
  krArrest,
  krFile,
  krUpload,
  line,
  myReadsNumber,
  NUMBER,
  together,
  withdraw,
} from './race4-support';

/**
 * Probe race 4: a number KH gave KR under AMBER, written onto KR's arrest of a Malaysian while KR's
 * liaison approves (sends) a repatriation request to MY naming the arrest — a file withdrawn for it, a
 * file or a new version named with it, a custody change's reason. MY reads the arrest from the sending
 * on; the draft is weighed for already (`arrestRecipients`: its target, unread), and the sending weighs
 * what the arrest carries. Whichever way round, one of the two is refused (`release-refused`). Held in
 * every round: the write is weighed against the submitted draft and refused, before or after the sending.
 */
describe('A number KH gave KR, written on an arrest while a repatriation request for it is sent to MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 8;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  /** A KR arrest of a Malaysian with a file on it, and a request to MY for it, submitted. */
  const submitted = async (name: string) => {
    const arrest = await krArrest(tf, { name }, 'MY');
    const file = await krFile(t, tf, `/arrests/${arrest.id}/attachments`, 'notes.txt');
    const draft = await givenIn(tf)
      .aRequest('repatriation')
      .from('KR')
      .sentTo('MY')
      .with({ arrestIds: [arrest.id], subject: `Take ${name} back` })
      .submitted();
    return { arrest, file, request: draft };
  };
  const approve = (request: { id: string; version: number }) => () =>
    tf['kr.liaison'].post(`/repatriation-requests/${request.id}/approve`, { version: request.version });
  const myPaths = (arrestId: string) => [
    `/arrests/${arrestId}`,
    `/arrests/${arrestId}/attachments`,
    `/arrests/${arrestId}/custody`,
  ];

  const cases: Array<
    [
      string,
      (
        s: Awaited<ReturnType<typeof submitted>>,
      ) => () => PromiseLike<{ status: number; body: { type?: string } }>,
    ]
  > = [
    [
      'a file withdrawn for the number',
      (s) => () => withdraw(tf['kr.officer'], s.file, `Wrong handset, it is ${NUMBER}`),
    ],
    [
      'a file named with the number',
      (s) => () => krUpload(t, tf, `/arrests/${s.arrest.id}/attachments`, `handler ${NUMBER}.txt`),
    ],
    [
      'a new version named with the number',
      (s) => () =>
        krUpload(t, tf, `/arrests/${s.arrest.id}/attachments`, `handler ${NUMBER}.txt`, {
          'X-Supersedes': s.file,
        }),
    ],
    [
      'a custody change for the number',
      (s) => () =>
        tf['kr.officer'].post(`/arrests/${s.arrest.id}/custody`, {
          status: 'charged',
          reason: `Called his handler on ${NUMBER}`,
          version: s.arrest.version,
        }),
    ],
  ];

  it.each(cases)(
    '%s: the write or the sending is refused, MY never reads the number',
    async (what, write) => {
      const lines: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const s = await submitted(`AZMAN ${what.split(' ')[1]} ${round}`);
        const [w, a] = await together(round, write(s), approve(s.request));
        lines.push(line(round, w, a, await myReadsNumber(tf, myPaths(s.arrest.id))));
      }
      expect(broken(lines)).toEqual([]);
    },
    300_000,
  );
});
