import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r51 (probe r43's untried timing point): `GET /attachments/:id/content` took the file's row
 * `FOR SHARE` before its visibility check. While something held the row (a withdrawal of the file in
 * flight), a caller who may not see the file waited for it, where an id that never existed answered at
 * once: a timing difference that told the caller the id was a file's (ids are random, so only for an
 * id it had otherwise). Now the check comes first; the row is held, and read again, only for a caller
 * who may see it.
 */
describe('Probe r51: a download of a file the caller may not see does not wait on the file', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 90_000);
  afterAll(() => t?.close());

  const download = (token: string, id: string) =>
    request(t.server)
      .get(`/api/v1/attachments/${id}/content`)
      .set('Authorization', `Bearer ${token}`)
      .timeout(3000)
      .then(
        (res) => res.status,
        (err: Error & { timeout?: number }) => (err.timeout ? 'timed out' : err.message),
      );

  it('FINDING: while the row of a RED file is held, KH’s officer gets 404 at once, as for an id that never existed', async () => {
    // A RED request KR sent KH with a file: KH's liaisons read it, KH's officers do not.
    const req = givenIn(tf).anInformationRequest().from('KR').sentTo('KH').handledAs('RED');
    const draft = await req.drafted();
    const file = await request(t.server)
      .post(`/api/v1/information-requests/${draft.id}/attachments`)
      .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-Filename', 'red.txt')
      .send(Buffer.from('RED material\n'))
      .expect(201);
    await req.sent();
    const id = file.body.id as string;
    expect(await download(tf['kh.officer'].tokens.accessToken, id)).toBe(404);
    expect(await download(tf['kh.liaison'].tokens.accessToken, id)).toBe(200);

    // A withdrawal of it in flight: its row is held for update.
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT 1 FROM attachment WHERE id = $1 FOR UPDATE`, [id]);
      expect(await download(tf['kh.officer'].tokens.accessToken, randomUUID())).toBe(404);
      // On main: 'timed out' (waiting for the hold).
      expect(await download(tf['kh.officer'].tokens.accessToken, id)).toBe(404);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // The liaison, who may read it, still reads it under the hold's rule.
    expect(await download(tf['kh.liaison'].tokens.accessToken, id)).toBe(200);
  });
});
