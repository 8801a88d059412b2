import { binary, download, unzip } from '../attachments/attachment-support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, krCase, krFile, said, together, withdraw } from './race6-support';

/**
 * Probe race 6: MY downloads a file of a case KR shared with it — alone (`GET /attachments/:id/content`)
 * or in the case's bundle (`GET /cases/:id/bundle`) — while KR's officer withdraws the file (`POST
 * /attachments/:id/withdraw`). A withdrawn file's bytes are no longer served to the receiving country
 * (only to the giving country's auditors; `openContent` answers 410 and audits the denial). Serially,
 * MY's download is either before the withdrawal (the bytes, and its `attachment.download` event before
 * the `attachment.withdraw` one) or after it (no bytes: 410 alone, the bundle without them). Never the
 * bytes with a download event written after the withdrawal, as `withdrawn: false`.
 */
describe('MY downloads a shared file, alone or in the case bundle, while KR withdraws it', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 10;
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

  it('the bundle exported by MY as KR withdraws its file: bytes in the ZIP only if downloaded before the withdrawal (by the audit)', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { id, file } = await sharedCase(`Bundled as withdrawn ${round}`);
      const [b, w] = await together(
        round,
        () => tf['my.officer'].get(`/cases/${id}/bundle`).buffer(true).parse(binary),
        () => withdraw(tf['kr.officer'], file, 'Filed on the wrong case'),
        3,
      );
      let bytes = '-';
      if (b.status === 200)
        bytes = String([...(await unzip(b.body as Buffer)).keys()].some((k) => k.startsWith('files/')));
      const events: Array<{ action: string }> = await t.dataSource.query(
        `SELECT action FROM audit_event WHERE record_type = 'attachment' AND record_id = $1
            AND action IN ('attachment.download', 'attachment.withdraw') ORDER BY id`,
        [file],
      );
      lines.push(
        `round ${round}: bundle ${said(b)}, withdraw ${said(w)}, bytes in the ZIP ${bytes}, audit ${events.map((e) => e.action).join(' < ')}`,
      );
    }
    const serial = (l: string) =>
      /bundle 200, withdraw 200, bytes in the ZIP true, audit attachment.download < attachment.withdraw$/.test(
        l,
      ) || /bundle 200, withdraw 200, bytes in the ZIP false, audit attachment.withdraw$/.test(l);
    expect(broken(lines, serial)).toEqual([]);
  }, 120_000);
  it('one file downloaded by MY as KR withdraws it: the bytes only if the download is audited before the withdrawal', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { file } = await sharedCase(`Downloaded as withdrawn ${round}`);
      const [d, w] = await together(
        round,
        () => download(t, tf['my.officer'], file),
        () => withdraw(tf['kr.officer'], file, 'Filed on the wrong case'),
        1,
      );
      const events: Array<{ action: string; outcome: string }> = await t.dataSource.query(
        `SELECT action, outcome FROM audit_event WHERE record_type = 'attachment' AND record_id = $1
            AND action IN ('attachment.download', 'attachment.withdraw') ORDER BY id`,
        [file],
      );
      lines.push(
        `round ${round}: download ${d.status}, withdraw ${said(w)}, audit ${events.map((e) => `${e.action}(${e.outcome})`).join(' < ')}`,
      );
    }
    const serial = (l: string) =>
      /download 200, withdraw 200, audit attachment.download\(success\) < attachment.withdraw\(success\)$/.test(
        l,
      ) ||
      /download 4\d\d, withdraw 200, audit attachment.withdraw\(success\) < attachment.download\(denied\)$/.test(
        l,
      );
    expect(broken(lines, serial)).toEqual([]);
  }, 120_000);
});
