import { DropGapTextArrestReceipts1763801120000 } from '../../migrations/1763801120000-DropGapTextArrestReceipts';
import { numbersIn } from '../../src/sharing/identifier-keys';
import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Migration 1763801120000 (probe r14 finding 3, after commit 57117e8): the numbers in a custody reason
 * or a file's withdrawal reason written while no framework joined KH and KR were recorded as received by
 * KR, which reads that text as null. Current code records none, so each stale receipt is written here by
 * SQL as the old `releaseArrestText` wrote it (its keys, the step's user, a moment inside the step's
 * transaction). The migration deletes those, and keeps every receipt of a number KR read on the arrest:
 * a step it was told of, and a gap number that KR also read afterwards in a told step or in the arrest's
 * person (the gap's row stood for those receipts, which were not written twice).
 */
describe('Migration: receipts of numbers in a text written in a framework gap are deleted', () => {
  let t: TestApp;
  let tf: TaskForce;
  let arrestId: string;
  const phones = {
    gapStep: '+85512000781',
    gapWithdrawal: '+85512000782',
    toldStep: '+85512000783',
    gapThenTold: '+85512000784',
    gapThenPerson: '+85512000785',
  };
  const keysOf = (phone: string) => numbersIn(phone, 'reason').map((n) => n.key);
  const krReceipts = async () => {
    const rows: Array<{ identifier: string }> = await t.dataSource.query(
      `SELECT identifier FROM identifier_provenance
        WHERE via_type = 'arrest' AND via_id = $1 AND receiving_country = 'KR'`,
      [arrestId],
    );
    const held = new Set(rows.map((r) => r.identifier));
    return Object.entries(phones)
      .filter(([, phone]) => keysOf(phone).some((k) => held.has(k)))
      .map(([name]) => name)
      .sort();
  };
  /** What the old code recorded for KR when `text` was written, in the transaction that wrote it. */
  const writeStaleReceipts = (text: string, by: string, at: Date) =>
    t.dataSource.query(
      `INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                          handling_code, via_type, via_id, released_by, released_at)
       SELECT k, 'KR', 'KH', 'KH', 'AMBER', 'arrest', $2, $3, $4::timestamptz + interval '2 milliseconds'
         FROM unnest($1::text[]) k`,
      [numbersIn(text, 'reason').map((n) => n.key), arrestId, by, at],
    );
  const custody = async (status: string, reason: string) => {
    const { version } = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    await tf['kh.officer'].post(`/arrests/${arrestId}/custody`, { status, reason, version }).expect(200);
    const [step] = await t.dataSource.query(
      `SELECT actor_user_id AS by, at FROM arrest_custody_history WHERE arrest_id = $1 AND to_status = $2`,
      [arrestId, status],
    );
    return step as { by: string; at: Date };
  };
  /** KR's status sharing its own case that holds `phone` with MY. */
  const krPassesOn = async (phone: string) => {
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: `LEE Own${phone.slice(-3)}`, script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Handlers', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const res = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    return { status: res.status, type: res.body.type };
  };
  let before: string[];
  let after: string[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const admin = await signIn(t.server, 'platform.admin');
    const framework = (active: boolean) =>
      admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active }).expect(200);
    arrestId = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Kampot',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'VN',
          person: {
            names: [{ full: 'NGUYEN Gapmigration', script: 'latin', kind: 'primary' }],
            nationalities: ['VN'],
          },
        })
        .expect(201)
    ).body.id;
    await tf['kh.liaison']
      .post(`/arrests/${arrestId}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(200);
    const file = (
      await upload(
        t,
        tf['kh.officer'],
        `/arrests/${arrestId}/attachments`,
        Buffer.from('notes'),
        'notes.txt',
      ).expect(201)
    ).body;

    await framework(false);
    const gapReason = `Handler on ${phones.gapStep}, later on ${phones.gapThenTold} and ${phones.gapThenPerson}`;
    const gapStep = await custody('charged', gapReason);
    await writeStaleReceipts(gapReason, gapStep.by, gapStep.at);
    const withdrawalReason = `Wrong handset ${phones.gapWithdrawal}`;
    await tf['kh.officer'].post(`/attachments/${file.id}/withdraw`, { reason: withdrawalReason }).expect(200);
    const [withdrawal] = await t.dataSource.query(
      `SELECT withdrawn_by AS by, withdrawn_at AS at FROM attachment WHERE id = $1`,
      [file.id],
    );
    await writeStaleReceipts(withdrawalReason, withdrawal.by, withdrawal.at);
    await framework(true);
    // Told to KR: the current code records these itself (the second one's receipt already stood).
    await custody('transferred', `Confirmed ${phones.toldStep} and ${phones.gapThenTold}`);
    // KH adds a gap number to the person KR reads through the arrest: KR receives it now, and its
    // receipt, the same as the gap's, already stood.
    const person = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body.person;
    const current = (await tf['kh.officer'].get(`/persons/${person.id}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${person.id}`, {
        version: current.version,
        names: current.names,
        nationalities: current.nationalities,
        phones: [phones.gapThenPerson],
      })
      .expect(200);

    before = await krReceipts();
    const runner = t.dataSource.createQueryRunner();
    try {
      await new DropGapTextArrestReceipts1763801120000().up(runner);
    } finally {
      await runner.release();
    }
    after = await krReceipts();
  }, 120_000);
  afterAll(() => t?.close());

  it('before the migration KR holds a receipt of every number, the gap texts’ too', () => {
    expect(before).toEqual(['gapStep', 'gapThenPerson', 'gapThenTold', 'gapWithdrawal', 'toldStep']);
  });

  it('deletes the receipts of the numbers only the gap texts held, and keeps those KR was told', () => {
    expect(after).toEqual(['gapThenPerson', 'gapThenTold', 'toldStep']);
  });

  it('KR passes on its own copy of a number it never read (201)', async () => {
    expect(await krPassesOn(phones.gapStep)).toEqual({ status: 201, type: undefined });
    expect(await krPassesOn(phones.gapWithdrawal)).toEqual({ status: 201, type: undefined });
  });

  it('a number KR read in a step it was told of, or in the person, stays refused onward (409)', async () => {
    expect(await krPassesOn(phones.toldStep)).toEqual({ status: 409, type: RELEASE_REFUSED });
    expect(await krPassesOn(phones.gapThenTold)).toEqual({ status: 409, type: RELEASE_REFUSED });
    expect(await krPassesOn(phones.gapThenPerson)).toEqual({ status: 409, type: RELEASE_REFUSED });
  });
});
