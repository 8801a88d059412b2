import { Logger } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReadingSlots } from '../../src/attachments/file-reading-slots';
import { OwnNumbersCatchUpService } from '../../src/attachments/own-numbers-catch-up.service';
import { OWN_NUMBERS_READING } from '../../src/sharing/file-numbers';
import { FileReleaseService } from '../../src/sharing/file-release.service';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { aPdf, sha256, storedKeys, upload } from './attachment-support';

/**
 * Files are read for their numbers a few at once (`FileReadingSlots`, `FILE_READING_CONCURRENCY`),
 * uploads and the catch-up job alike, whatever arrives: memory is bounded by the cap (probe input10:
 * four hostile PDFs read side by side peaked at ~1,000 MB). Here each reading is held open by the test
 * (a gate before the real reading), so what is read at once is seen, not timed.
 */
describe('Files read for their numbers a few at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let dataDir: string;
  let slots: FileReadingSlots;
  let caseId: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'file-reading-slots-'));
    t = await createTestApp(
      {},
      {
        DATA_DIR: dataDir,
        FILE_READING_CONCURRENCY: '2',
        FILE_READING_QUEUE_MAX: '2',
        FILE_READING_MAX_WAIT_MS: '8000',
      },
    );
    tf = await taskForce(t);
    slots = t.app.get(FileReadingSlots);
    caseId = (await tf['kr.officer'].post('/cases', { title: 'Reading slots' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Readings (`method` of the release service) wait at a gate the test opens; the most inside at once. */
  function gatedReadings(method: 'numbersInFile' | 'ownNumbersIn') {
    const release = t.app.get(FileReleaseService);
    const original = release[method].bind(release) as (...args: unknown[]) => Promise<unknown>;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const seen = { inside: 0, most: 0, calls: 0 };
    const spy = jest.spyOn(release, method).mockImplementation((async (...args: unknown[]) => {
      seen.calls++;
      seen.most = Math.max(seen.most, ++seen.inside);
      try {
        await gate;
        return await original(...args);
      } finally {
        seen.inside--;
      }
    }) as never);
    return { seen, open, restore: () => spy.mockRestore() };
  }

  const until = async (what: () => boolean) => {
    for (let i = 0; i < 600 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(what()).toBe(true);
  };
  const attach = (name: string) =>
    upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, aPdf(20_000, name), `${name}.pdf`);
  const uploadEvents = async () =>
    Number(
      (
        await t.dataSource.query(`SELECT count(*) AS n FROM audit_event WHERE action = 'attachment.upload'`)
      )[0].n,
    );

  it('reads two at once; a third and fourth wait; more answer 503 (queue full), as do those that waited too long; the refused leave nothing', async () => {
    const readings = gatedReadings('numbersInFile');
    const eventsBefore = await uploadEvents();
    const errors = jest.spyOn(Logger.prototype, 'error');
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const first = ['a', 'b', 'c', 'd'].map((name) => attach(`first-${name}`).then((answer) => answer));
      await until(() => slots.reading === 2 && slots.queued === 2);
      const [fifth, sixth] = await Promise.all([attach('fifth'), attach('sixth')]);
      // The two that waited give up after FILE_READING_MAX_WAIT_MS; the two reading are still held.
      await until(() => slots.queued === 0);
      expect(readings.seen.calls).toBe(2);
      readings.open();
      const answers = [...(await Promise.all(first)), fifth!, sixth!];
      const refused = answers.filter((answer) => answer.status === 503);
      expect({
        statuses: answers.map((answer) => answer.status).sort(),
        reasons: refused.map((answer) => answer.body.reason).sort(),
        retryAfter: refused.map((answer) => answer.headers['retry-after']),
        codes: refused.map((answer) => answer.body.type),
        mostReadAtOnce: readings.seen.most,
      }).toEqual({
        statuses: [201, 201, 503, 503, 503, 503],
        reasons: ['queue-full', 'queue-full', 'waited-too-long', 'waited-too-long'],
        retryAfter: ['30', '30', '30', '30'],
        codes: Array(4).fill('urn:case-desk:problem:file-reading-busy'),
        mostReadAtOnce: 2,
      });
      // A busy refusal is the service's state, not a fault: warned, not logged as an unhandled error.
      const said = (spy: jest.SpyInstance) =>
        spy.mock.calls
          .map(([entry]) => (entry as { msg?: string }).msg)
          .filter((msg) => msg?.startsWith('Answered'));
      expect({ warned: said(warnings), errors: errors.mock.calls.length }).toEqual({
        warned: Array(4).fill('Answered 503'),
        errors: 0,
      });
      // Nothing of a refused upload is kept: no row, no audit event, no bytes.
      const listed = (await tf['kr.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items;
      const keys = await storedKeys(join(dataDir, 'attachments'));
      const names = ['first-a', 'first-b', 'first-c', 'first-d', 'fifth', 'sixth'];
      const storedNames = names.filter((name) =>
        keys.some((key) => key.endsWith(sha256(aPdf(20_000, name)))),
      );
      expect({
        listed: listed.length,
        events: (await uploadEvents()) - eventsBefore,
        stored: storedNames.length,
        slotsAfter: [slots.reading, slots.queued],
      }).toEqual({ listed: 2, events: 2, stored: 2, slotsAfter: [0, 0] });
    } finally {
      readings.open();
      readings.restore();
      errors.mockRestore();
      warnings.mockRestore();
    }
  }, 60_000);

  it('an upload whose client goes away while it waits for its turn leaves the queue then, not at the end of its wait; nothing of it kept', async () => {
    const readings = gatedReadings('numbersInFile');
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const eventsBefore = await uploadEvents();
    try {
      const held = ['x', 'y'].map((name) => attach(`held-${name}`).then((answer) => answer));
      await until(() => slots.reading === 2);
      const bytes = aPdf(20_000, 'gone');
      const { port } = t.server.address() as AddressInfo;
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/api/v1/cases/${caseId}/attachments`,
        headers: {
          Authorization: `Bearer ${tf['kr.officer'].tokens.accessToken}`,
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(bytes.length),
          'X-Filename': 'gone.pdf',
        },
      });
      req.on('error', () => undefined);
      req.end(bytes);
      await until(() => slots.queued === 1);
      req.destroy();
      await until(() => slots.queued === 0);
      // Why it left: its client went away (not its wait of FILE_READING_MAX_WAIT_MS ending).
      const details = warnings.mock.calls.map(([entry]) => String((entry as { detail?: string }).detail));
      expect(details.filter((detail) => /went away/.test(detail))).toHaveLength(1);
      expect(readings.seen.calls).toBe(2);
      readings.open();
      expect((await Promise.all(held)).map((answer) => answer.status)).toEqual([201, 201]);
      expect((await uploadEvents()) - eventsBefore).toBe(2);
      // Its bytes are removed on the refusal's way out, which nobody waits for: looked at until gone.
      const kept = async () =>
        (await storedKeys(join(dataDir, 'attachments'))).filter((key) => key.endsWith(sha256(bytes)));
      for (let i = 0; i < 100 && (await kept()).length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await kept()).toEqual([]);
    } finally {
      readings.open();
      readings.restore();
      warnings.mockRestore();
    }
  }, 60_000);

  it('the catch-up job reads in its turn among the uploads: it waits for a slot, whatever the queue holds', async () => {
    const earlier = await attach('earlier');
    expect(earlier.status).toBe(201);
    const earlierSha = sha256(aPdf(20_000, 'earlier'));
    await t.dataSource.query(`UPDATE file_own_numbers_read SET reading = 3 WHERE sha256 = $1`, [earlierSha]);
    const uploads = gatedReadings('numbersInFile');
    const catchUpReadings = gatedReadings('ownNumbersIn');
    catchUpReadings.open();
    try {
      const held = ['g', 'h'].map((name) => attach(`held-${name}`).then((answer) => answer));
      await until(() => slots.reading === 2);
      const caughtUp = t.app.get(OwnNumbersCatchUpService).catchUp();
      await until(() => slots.queued === 1);
      // Waiting, not reading: both slots are the uploads'.
      expect(catchUpReadings.seen.calls).toBe(0);
      uploads.open();
      expect((await Promise.all(held)).map((answer) => answer.status)).toEqual([201, 201]);
      // The earlier file at least (the seeded world may hold more never read).
      expect(await caughtUp).toBeGreaterThanOrEqual(1);
      expect(catchUpReadings.seen.calls).toBeGreaterThanOrEqual(1);
      expect(uploads.seen.most).toBe(2);
      const [read] = await t.dataSource.query(`SELECT reading FROM file_own_numbers_read WHERE sha256 = $1`, [
        earlierSha,
      ]);
      expect(read.reading).toBe(OWN_NUMBERS_READING);
    } finally {
      uploads.open();
      uploads.restore();
      catchUpReadings.restore();
    }
  }, 60_000);
});
