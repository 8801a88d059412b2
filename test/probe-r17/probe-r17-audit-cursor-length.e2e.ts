import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 17, existence oracles by side channel; page cursors): an audit page's cursor is the
 * event's row id encrypted with AES-256-GCM (`AuditEventIds.cursorAfter`), and GCM is a stream mode: the
 * ciphertext is as long as the id's decimal digits. The row id counts every country's events in one
 * sequence (the reason the cursor is encrypted at all), so the cursor's length tells an auditor the
 * order of magnitude of the whole trail, and the moment other countries' activity carries it past a
 * power of ten: MY's auditor reads a cursor after an event of its own, KH works on records MY never
 * sees, MY's next event's cursor is two characters longer — the same reading without KH's work is not.
 * Coarse, but it is a count of other countries' activity that the encryption was meant to hide.
 * Fix: encrypt the id at a fixed width (its 8 bytes as a bigint, or the decimal padded to 19 digits)
 * so every cursor has one length.
 */
describe('Probe r17: an audit cursor’s length follows other countries’ activity', () => {
  let t: TestApp;
  let tf: TaskForce;
  /** The cursor after the newest `case.create` event MY's auditor reads (MY's own). */
  const cursorAfterMyNewestCase = async () =>
    (await tf['my.auditor'].get('/audit-events?action=case.create&limit=1').expect(200)).body
      .nextCursor as string;
  const myCase = (title: string) => tf['my.officer'].post('/cases', { title }).expect(201);
  let lengths: { first: number; withoutOthers: number; afterOthers: number };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // The trail has been in use: its row ids are a little below 10,000 (every country's events count).
    await t.dataSource.query(`SELECT setval('audit_event_id_seq', 9940)`);
    await myCase('MY 1');
    await myCase('MY 2'); // so that the newest case.create has an older one after it (a next page)
    const first = await cursorAfterMyNewestCase();
    await myCase('MY 3');
    const withoutOthers = await cursorAfterMyNewestCase();
    // KH works on records MY never reads: 60 internal cases.
    for (let i = 0; i < 60; i++) await tf['kh.officer'].post('/cases', { title: `KH internal ${i}` }).expect(201);
    await myCase('MY 4');
    const afterOthers = await cursorAfterMyNewestCase();
    lengths = { first: first.length, withoutOthers: withoutOthers.length, afterOthers: afterOthers.length };
  }, 120_000);
  afterAll(() => t?.close());

  it('MY’s own next event gives a cursor of the same length when nobody else acted (the control)', () => {
    expect(lengths.withoutOthers).toBe(lengths.first);
  });

  it('and of the same length after KH’s activity, which MY may not count', () => {
    expect(lengths.afterOthers).toBe(lengths.first);
  });
});
