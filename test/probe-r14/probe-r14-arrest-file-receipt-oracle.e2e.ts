import { aPdf, upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 14, oracles; r13 finding 7's aside): a file the arresting country files on an arrest
 * records a file receipt for the other side of every repatriation request naming the arrest, whatever
 * the request's state (`ProvenanceStore.arrestRecipients`), and an arrest receipt counts at once
 * (`fileReached` holds back request receipts only). So a receipt is recorded for the person's country
 * while it cannot read the arrest: KH's repatriation request to KR is still a draft, or was withdrawn
 * before the file was filed. The receipt is then weighed against KR's OWN upload of the same bytes:
 * KR, which holds the file itself (a photo from its own records), attaches it to its case shared with
 * MY and is refused (409 `release-refused`, "a file came from another country and may not go to MY"),
 * while any other file goes (201). KR thus learns, without reading anything, that some partner filed
 * these very bytes on a record KR was never shown (and KR's auditors read the refusal naming the
 * originator). The refusal also takes from KR the right to pass on its own file.
 * Fix: record an arrest file's receipt for the person's country only while a repatriation request is
 * under way (`repatriationUnderWay`), and when a request is sent record the files already on its
 * arrests; or count a receipt by arrest for a repatriation's country only from the request's sending
 * (as `fileReached` does for a request), never for a draft or after its withdrawal.
 */
describe('Probe r14: a file on an arrest KR cannot read refuses KR its own copy of the same bytes', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krCase: string;
  const draftBytes = aPdf(15_000, 'suspect-photo-draft-request');
  const withdrawnBytes = aPdf(15_000, 'suspect-photo-withdrawn-request');
  const arrests: Record<'draft' | 'withdrawn', string> = { draft: '', withdrawn: '' };
  const krReadsArrest: Record<'draft' | 'withdrawn', number> = { draft: 0, withdrawn: 0 };

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

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    // A repatriation request KH drafted and never sent.
    arrests.draft = await arrestOfAKorean('PARK Draftphoto');
    await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrests.draft], subject: 'Repatriation, not sent yet' })
      .drafted();
    await upload(
      t,
      tf['kh.officer'],
      `/arrests/${arrests.draft}/attachments`,
      draftBytes,
      'photo.pdf',
    ).expect(201);
    // A repatriation request KH sent and withdrew before filing the file.
    arrests.withdrawn = await arrestOfAKorean('PARK Withdrawnphoto');
    const sent = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrests.withdrawn], subject: 'Repatriation, withdrawn' })
      .sent();
    await tf['kh.officer']
      .post(`/repatriation-requests/${sent.id}/withdraw`, { version: sent.version })
      .expect(200);
    await upload(
      t,
      tf['kh.officer'],
      `/arrests/${arrests.withdrawn}/attachments`,
      withdrawnBytes,
      'photo.pdf',
    ).expect(201);
    for (const k of ['draft', 'withdrawn'] as const)
      krReadsArrest[k] = (await tf['kr.officer'].get(`/arrests/${arrests[k]}`)).status;
    krCase = (await tf['kr.officer'].post('/cases', { title: 'Photos of our own' }).expect(201)).body.id;
    await tf['kr.liaison'].post(`/cases/${krCase}/shares`, { countryCode: 'MY' }).expect(201);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads neither arrest (one request a draft, the other withdrawn before the file)', () => {
    expect(krReadsArrest).toEqual({ draft: 404, withdrawn: 404 });
  });

  it('KR attaches a file of its own to its MY-shared case (the control)', async () => {
    const own = await upload(
      t,
      tf['kr.officer'],
      `/cases/${krCase}/attachments`,
      aPdf(15_000, 'kr-own'),
      'a.pdf',
    );
    expect(own.status).toBe(201);
  });

  it('and its own copy of the bytes KH filed on the arrest of the unsent request, alike', async () => {
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, draftBytes, 'b.pdf');
    expect({ status: res.status, type: res.body.type }).toEqual({ status: 201, type: undefined });
  });

  it('and its own copy of the bytes KH filed after withdrawing the request, alike', async () => {
    const res = await upload(t, tf['kr.officer'], `/cases/${krCase}/attachments`, withdrawnBytes, 'c.pdf');
    expect({ status: res.status, type: res.body.type }).toEqual({ status: 201, type: undefined });
  });

  it('and KR’s auditors read no refusal owned by KH (the country whose arrest KR was never shown)', async () => {
    const events: Array<{ ownerCountry: string | null }> = (
      await tf['kr.auditor'].get('/audit-events?action=release.refused&limit=200').expect(200)
    ).body.items;
    expect(events.filter((e) => e.ownerCountry === 'KH')).toEqual([]);
  });
});
