import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, upload } from '../../attachments/attachment-support';
import { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
interface FileRead {
  id: string;
  uploadedAt: string;
  supersedes: string | null;
}

/**
 * Probe: the files of an arrest as another country reads them. What the arresting country filed,
 * withdrew or replaced before it shared the arrest is its working history: the country it shares the
 * arrest with reads the files from the share on — no file taken back before that, no earlier version a
 * file replaced before that, and upload times no earlier than the share. (The arrest's own times, list
 * order and custody steps: probe-presend-arrests.)
 */
describe('Probe: a partner does not read the files an arresting country withdrew or replaced before sharing the arrest', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-presend-arrest-files-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const files = async (who: SignedIn, id: string) =>
    (await who.get(`/arrests/${id}/attachments`).expect(200)).body.items as FileRead[];
  const file = (id: string, bytes: Buffer, name: string) =>
    upload(t, tf['kh.officer'], `/arrests/${id}/attachments`, bytes, name);

  it('files withdrawn or replaced before the share do not exist for KR; the rest read as given at the share', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'PARK Minsoo', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body as { id: string };
    const kept = await file(arrest.id, aPdf(8_000, 'kept'), 'statement.pdf').expect(201);
    const taken = await file(arrest.id, aPdf(8_000, 'taken'), 'wrong.pdf').expect(201);
    await tf['kh.officer'].post(`/attachments/${taken.body.id}/withdraw`, { reason: 'Wrong person' }).expect(200);
    const first = await file(arrest.id, aPdf(8_000, 'v1'), 'photo-v1.pdf').expect(201);
    const second = await file(arrest.id, aPdf(8_000, 'v2'), 'photo-v2.pdf')
      .set('X-Supersedes', first.body.id)
      .expect(201);
    await pause(30);
    const shared = Date.now();
    await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);

    const seen = await files(tf['kr.officer'], arrest.id);
    expect(seen.map((f) => f.id).sort()).toEqual([kept.body.id, second.body.id].sort());
    for (const f of seen) expect(Date.parse(f.uploadedAt)).toBeGreaterThanOrEqual(shared - 5);
    expect(seen.find((f) => f.id === second.body.id)!.supersedes).toBeNull();
    for (const hidden of [taken.body.id, first.body.id]) {
      await tf['kr.officer'].get(`/attachments/${hidden}`).expect(404);
      await tf['kr.officer'].get(`/attachments/${hidden}/content`).expect(404);
    }
    // Withdrawn after the share: KR saw it, and keeps seeing it as withdrawn.
    await tf['kh.officer'].post(`/attachments/${kept.body.id}/withdraw`, { reason: 'Superseded by a court copy' }).expect(200);
    expect((await tf['kr.officer'].get(`/attachments/${kept.body.id}`).expect(200)).body.status).toBe('withdrawn');

    // KH reads its whole history as it was.
    const own = await files(tf['kh.officer'], arrest.id);
    expect(own.map((f) => f.id).sort()).toEqual(
      [kept.body.id, taken.body.id, first.body.id, second.body.id].sort(),
    );
    expect(own.find((f) => f.id === second.body.id)!.supersedes).toBe(first.body.id);
    for (const f of own) expect(Date.parse(f.uploadedAt)).toBeLessThan(shared);
  });
});
