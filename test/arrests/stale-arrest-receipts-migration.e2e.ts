import { createHash } from 'crypto';
import { DropUnreadArrestReceipts1763801110000 } from '../../migrations/1763801110000-DropUnreadArrestReceipts';
import { phoneKey } from '../../src/sharing/identifier-keys';
import { aPdf, upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Migration 1763801110000 (probe r14 findings 1–2, after commit 57117e8): the receipts the old code
 * recorded by arrest for the target of a repatriation request never sent go, and KR may pass on its
 * own copy of the bytes again; the receipts of a country that read the arrest (a share, a request sent
 * and withdrawn afterwards) stay, and still refuse those bytes to MY. Current code records no stale
 * receipt, so one is written by SQL as the old `recordFileProvenance` / `recordIdentifierProvenance` did.
 */
describe('Migration: stale arrest receipts of a side that never read the arrest are deleted', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krCase: string;
  const draftBytes = aPdf(15_000, 'stale-receipt-draft');
  const sharedBytes = aPdf(15_000, 'kept-receipt-share');
  const withdrawnBytes = aPdf(15_000, 'kept-receipt-sent-then-withdrawn');
  const stalePhone = '+85512000771';
  const sharedPhone = '+85512000772';
  const arrests = { draft: '', shared: '', withdrawn: '' };
  let refusedBefore: number;

  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const arrestOfAKorean = async (name: string) =>
    (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
        })
        .expect(201)
    ).body.id as string;
  const receipts = async () =>
    (
      await t.dataSource.query(
        `SELECT 'file' AS kind, via_id::text AS arrest FROM file_provenance WHERE via_type = 'arrest' AND receiving_country = 'KR'
         UNION ALL
         SELECT 'identifier', via_id::text FROM identifier_provenance WHERE via_type = 'arrest' AND receiving_country = 'KR'`,
      )
    )
      .map((r: { kind: string; arrest: string }) => {
        const which = Object.entries(arrests).find(([, id]) => id === r.arrest)?.[0] ?? r.arrest;
        return `${r.kind}:${which}`;
      })
      .sort();
  let before: string[];
  let after: string[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    // KH's draft to KR, never sent: KR never read the arrest. The old code recorded KR's receipts of
    // the file filed on it and of a number in a custody reason; current code records none, so they are
    // written here as it wrote them.
    arrests.draft = await arrestOfAKorean('PARK Stalereceipt');
    const draft = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrests.draft], subject: 'Repatriation, never sent' })
      .drafted();
    await upload(
      t,
      tf['kh.officer'],
      `/arrests/${arrests.draft}/attachments`,
      draftBytes,
      'photo.pdf',
    ).expect(201);
    await t.dataSource.query(
      `INSERT INTO file_provenance (sha256, receiving_country, originator_country, via_type, via_id)
       VALUES ($1, 'KR', 'KH', 'arrest', $2)`,
      [sha(draftBytes), arrests.draft],
    );
    await t.dataSource.query(
      `INSERT INTO identifier_provenance (identifier, receiving_country, released_by_country, originator_country,
                                          handling_code, via_type, via_id, released_by)
       SELECT $1, 'KR', 'KH', 'KH', r.handling_code, 'arrest', $2, r.created_by
         FROM cross_border_request r WHERE r.id = $3`,
      [phoneKey(stalePhone), arrests.draft, draft.id],
    );
    // KH shares an arrest with KR and files bytes and a number on it: KR reads them.
    arrests.shared = await arrestOfAKorean('PARK Sharedreceipt');
    await tf['kh.liaison'].post(`/arrests/${arrests.shared}/shares`, { countryCode: 'KR' }).expect(200);
    await upload(
      t,
      tf['kh.officer'],
      `/arrests/${arrests.shared}/attachments`,
      sharedBytes,
      'photo.pdf',
    ).expect(201);
    const shared = (await tf['kh.officer'].get(`/arrests/${arrests.shared}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/arrests/${arrests.shared}/custody`, {
        status: 'charged',
        reason: `Called his handler on ${sharedPhone}`,
        version: shared.version,
      })
      .expect(200);
    // KH sends KR a request, files bytes while KR reads the arrest, then withdraws it: KR read them.
    arrests.withdrawn = await arrestOfAKorean('PARK Withdrawnreceipt');
    const sent = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrests.withdrawn], subject: 'Repatriation, sent then withdrawn' })
      .sent();
    await upload(
      t,
      tf['kh.officer'],
      `/arrests/${arrests.withdrawn}/attachments`,
      withdrawnBytes,
      'photo.pdf',
    ).expect(201);
    const latest = (await tf['kh.officer'].get(`/repatriation-requests/${sent.id}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/repatriation-requests/${sent.id}/withdraw`, { version: latest.version })
      .expect(200);

    krCase = (await tf['kr.officer'].post('/cases', { title: 'Photos of our own' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
    refusedBefore = (await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, draftBytes, 'a.pdf'))
      .status;

    before = await receipts();
    const runner = t.dataSource.createQueryRunner();
    try {
      await new DropUnreadArrestReceipts1763801110000().up(runner);
    } finally {
      await runner.release();
    }
    after = await receipts();
  }, 120_000);
  afterAll(() => t?.close());

  it('before the migration, the stale receipt refuses KR its own copy of the bytes (409)', () => {
    expect(before).toEqual(
      expect.arrayContaining([
        'file:draft',
        'identifier:draft',
        'file:shared',
        'identifier:shared',
        'file:withdrawn',
      ]),
    );
    expect(refusedBefore).toBe(409);
  });

  it('deletes the receipts by the arrest of the never-sent request, and keeps every other', () => {
    expect(after).toEqual(before.filter((r) => !r.endsWith(':draft')));
    expect(after).not.toContain('file:draft');
    expect(after).not.toContain('identifier:draft');
  });

  it('KR’s own copy of the stale bytes now goes to its MY-shared case (201)', async () => {
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, draftBytes, 'b.pdf');
    expect({ status: res.status, type: res.body.type }).toEqual({ status: 201, type: undefined });
  });

  it('the bytes KR read (a shared arrest, a request sent then withdrawn) are still refused to MY (409)', async () => {
    for (const bytes of [sharedBytes, withdrawnBytes]) {
      const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, bytes, 'c.pdf');
      expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
    }
  });
});
