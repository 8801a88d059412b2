import { binary, unzip } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, krCase, krFile, said, together } from './race6-support';

/**
 * Probe race 6: MY reads a case KR shared with it — the case itself (`GET /cases/:id`) or its bundle
 * (`GET /cases/:id/bundle`, a ZIP with `manifest.json`) — while KR's liaison revokes the share
 * (`DELETE /cases/:id/shares/MY`). Serially MY's read is either before the revoke (200: the case as
 * shared, the bundle listing the case's file, its `case.bundle.export` event before the revoke's) or
 * after it (404, nothing exported). Never a 500, never a bundle that matches neither.
 */
describe('MY reads a shared case, or exports its bundle, while KR revokes the share', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 20;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  /** A KR case with one file on it, shared with MY. */
  const sharedCase = async (title: string) => {
    const id = await krCase(tf, title);
    const file = await krFile(t, tf, `/cases/${id}/attachments`, 'statement.txt');
    await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' }).expect(201);
    return { id, file };
  };
  const revoke = (id: string) => () => tf['kr.liaison'].delete(`/cases/${id}/shares/MY`);
  /**
   * The revoke first, MY’s read 1 to 8 ms after it (by round): the read's scope check then meets the
   * share live and its next statement meets it revoked in some rounds (the 500s below came at 2–5 ms).
   */
  const readAfter = async <A, B>(round: number, r: () => PromiseLike<A>, read: () => PromiseLike<B>) => {
    const revoked = Promise.resolve(r()); // a supertest request starts when awaited
    await new Promise((resolve) => setTimeout(resolve, 1 + (round % 8)));
    const answer = await read();
    return [answer, await revoked] as const;
  };
  const READS = 40;

  it('without a revoke, MY’s bundle of the shared case lists its file (the control)', async () => {
    const { id, file } = await sharedCase('Bundled, not revoked');
    const b = await tf['my.officer'].get(`/cases/${id}/bundle`).buffer(true).parse(binary).expect(200);
    const manifest = JSON.parse((await unzip(b.body as Buffer)).get('manifest.json')!.toString('utf8'));
    expect(manifest.files.map((f: { attachmentId: string }) => f.attachmentId)).toEqual([file]);
  });

  it('the case read by MY as the revoke lands: 200 or 404, never a 500', async () => {
    const lines: string[] = [];
    for (let round = 0; round < READS; round++) {
      const { id } = await sharedCase(`Read as revoked ${round}`);
      const [read, r] = await readAfter(round, revoke(id), () => tf['my.officer'].get(`/cases/${id}`));
      const detail = read.status >= 500 ? ` (${JSON.stringify(read.body)})` : '';
      lines.push(`round ${round}: MY's read ${said(read)}, revoke ${said(r)}${detail}`);
    }
    expect(broken(lines, (l) => /read (200|404 not-found), revoke 200$/.test(l))).toEqual([]);
  }, 120_000);

  it('MY’s case list as the revoke lands: 200 (listing the case or not), never a 500', async () => {
    const lines: string[] = [];
    for (let round = 0; round < READS; round++) {
      const { id } = await sharedCase(`Listed as revoked ${round}`);
      const [list, r] = await readAfter(round, revoke(id), () =>
        tf['my.officer'].get(`/cases?q=${encodeURIComponent(`Listed as revoked ${round}`)}`),
      );
      lines.push(`round ${round}: MY's list ${said(list)}, revoke ${said(r)}`);
    }
    expect(broken(lines, (l) => /list 200, revoke 200$/.test(l))).toEqual([]);
  }, 120_000);

  it('the bundle exported by MY as the revoke lands: 404, or the case’s file with its export audited before the revoke', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { id, file } = await sharedCase(`Bundled as revoked ${round}`);
      const [b, r] = await together(
        round,
        () => tf['my.officer'].get(`/cases/${id}/bundle`).buffer(true).parse(binary),
        revoke(id),
        3,
      );
      let listed = '-';
      if (b.status === 200) {
        const manifest = JSON.parse(
          (await unzip(b.body as Buffer)).get('manifest.json')!.toString('utf8'),
        ) as { files: Array<{ attachmentId: string }> };
        listed = String(manifest.files.some((f) => f.attachmentId === file));
      }
      const events: Array<{ action: string }> = await t.dataSource.query(
        `SELECT action FROM audit_event WHERE record_type = 'case' AND record_id = $1
            AND action IN ('case.bundle.export', 'case.share.revoke') ORDER BY id`,
        [id],
      );
      lines.push(
        `round ${round}: bundle ${said(b)}, revoke ${said(r)}, file listed ${listed}, audit ${events.map((e) => e.action).join(' < ')}`,
      );
    }
    const serial = (l: string) =>
      /bundle 404 ?, revoke 200, file listed -, audit case.share.revoke$/.test(l) ||
      /bundle 200, revoke 200, file listed true, audit case.bundle.export < case.share.revoke$/.test(l);
    expect(broken(lines, serial)).toEqual([]);
  }, 120_000);
});
