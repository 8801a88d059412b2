import { binary, unzip } from '../attachments/attachment-support';
import { personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, krCase, krFile, krUpload, NUMBER, said, together } from './race6-support';

type Answer = { status: number; body: { type?: string } };

/**
 * Probe race 6: MY exports the bundle of a case KR shared with it while KR files on the case a file
 * named with the number KH gave KR under AMBER (or a new version of the case's file so named). The
 * upload is weighed for MY (the case is shared) and refused; a refused upload is rolled back, so MY's
 * bundle never names it: not in `manifest.json`, `custody-timeline.json`, `SHA256SUMS` or a path.
 */
describe('MY exports a shared case’s bundle while KR files a file named with a number KH gave KR', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 8;
  const DIGITS = NUMBER.slice(1);
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  const sharedCase = async (title: string) => {
    const id = await krCase(tf, title);
    const file = await krFile(t, tf, `/cases/${id}/attachments`, 'statement.txt');
    await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' }).expect(201);
    return { id, file };
  };

  it.each([
    ['a file named with the number', {}],
    ['a new version named with the number', { supersede: true }],
  ] as Array<[string, { supersede?: boolean }]>)(
    '%s: refused, and MY’s bundle never names it',
    async (what, { supersede }) => {
      const lines: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const { id, file } = await sharedCase(`Bundled as filed ${what} ${round}`);
        const [b, u] = await together(
          round,
          () => tf['my.officer'].get(`/cases/${id}/bundle`).buffer(true).parse(binary),
          (): PromiseLike<Answer> =>
            krUpload(
              t,
              tf,
              `/cases/${id}/attachments`,
              `handler ${NUMBER}.txt`,
              supersede ? { 'X-Supersedes': file } : {},
            ),
          4,
        );
        let names = '-';
        if (b.status === 200) {
          const entries = await unzip(b.body as Buffer);
          names = String(
            [...entries].some(
              ([name, bytes]) => name.includes(DIGITS) || bytes.toString('utf8').includes(DIGITS),
            ),
          );
        }
        const after = JSON.stringify((await tf['my.officer'].get(`/cases/${id}/attachments`)).body);
        lines.push(
          `round ${round}: bundle ${said(b)}, upload ${said(u)}, bundle names it ${names}, MY lists it ${after.includes(DIGITS)}`,
        );
      }
      expect(
        broken(lines, (l) =>
          /bundle 200, upload 409 release-refused, bundle names it false, MY lists it false$/.test(l),
        ),
      ).toEqual([]);
    },
    120_000,
  );
});
