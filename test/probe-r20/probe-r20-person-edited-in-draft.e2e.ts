import { aPdf, upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED, send } from '../sharing/support';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r20: KR drafts an information request to KH about a KR person whose phone and notes name
 * numbers, and whose file is named with a third, then edits the person (a new phone, new notes) and
 * replaces the file before the request is sent. KH reads the person as it is when it reads (live): the
 * first phone, notes and file never reach it. The draft recorded them as received by KH all the same
 * (`release` on a request channel, counted from the sending), so KH's onward share of either was
 * refused 409 as for the numbers it read. Whether KH's share is refused may depend only on what KH
 * read: the old numbers and bytes are KH's own to share with MY, the current ones are refused (the
 * control). (Demo world: MY and KH joined.)
 */
describe('Probe r20: a person edited while the request carrying it was a draft', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khPerson: { phones: string[]; notes?: string | null };
  let khFiles: string[];
  const oldBytes = aPdf(3_000, 'r20-person-old');
  const newBytes = aPdf(3_000, 'r20-person-new');
  // Put on the person and replaced, both while the request was a draft.
  const draftOnlyBytes = aPdf(3_000, 'r20-person-draft-only');

  /** KH uploads bytes to a KH case shared with MY: refused exactly when they are KR's, received by KH. */
  const khUploadForMy = async (bytes: Buffer) => {
    const kase = (await tf['kh.officer'].post('/cases', { title: 'KH phones' }).expect(201)).body;
    await tf['kh.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const res = await upload(t, tf['kh.officer'], `/cases/${kase.id}/attachments`, bytes, 'phone.pdf');
    return [res.status, res.body.type] as const;
  };

  const khShareWithMy = async (number: string) => {
    const kase = (
      await tf['kh.officer']
        .post('/cases', { title: 'KH SIMs', summary: `SIM ${number} seen in Poipet` })
        .expect(201)
    ).body;
    const res = await tf['kh.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    return [res.status, res.body.type] as const;
  };

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'PARK Drafted', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: ['+85512000721'],
          notes: 'Paid through +85512000722',
        })
        .expect(201)
    ).body;
    const onPerson = `/persons/${person.id}/attachments`;
    const v1 = await upload(t, tf['kr.officer'], onPerson, oldBytes, 'sim +85512000725.pdf').expect(201);
    const draft = (
      await tf['kr.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            subject: 'Who is this?',
            questions: ['Known to you?'],
            identifiers: {},
            personIds: [person.id],
          }),
        )
        .expect(201)
    ).body;
    await tf['kr.officer']
      .patch(`/persons/${person.id}`, {
        version: person.version,
        names: person.names,
        nationalities: person.nationalities,
        phones: ['+85512000723'],
        notes: 'Paid through +85512000724',
      })
      .expect(200);
    await upload(t, tf['kr.officer'], onPerson, newBytes, 'sim +85512000726.pdf', {
      'X-Supersedes': v1.body.id as string,
    }).expect(201);
    const mid = await upload(t, tf['kr.officer'], onPerson, draftOnlyBytes, 'photo.pdf').expect(201);
    await upload(t, tf['kr.officer'], onPerson, aPdf(3_000, 'r20-person-photo-2'), 'photo.pdf', {
      'X-Supersedes': mid.body.id as string,
    }).expect(201);
    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
    khPerson = (await tf['kh.officer'].get(`/persons/${person.id}`).expect(200)).body;
    // By name: two files uploaded within a millisecond list in either order.
    khFiles = (await tf['kh.officer'].get(onPerson).expect(200)).body.items
      .map((a: { filename: string }) => a.filename)
      .sort();
  }, 120_000);
  afterAll(() => t?.close());

  it('KH reads the person as edited', () => {
    expect([khPerson.phones, khPerson.notes, khFiles]).toEqual([
      ['+85512000723'],
      'Paid through +85512000724',
      ['photo.pdf', 'sim +85512000726.pdf'],
    ]);
  });

  it('refuses KH passing on the numbers it read (the control)', async () => {
    expect([
      await khShareWithMy('+85512000723'),
      await khShareWithMy('+85512000724'),
      await khShareWithMy('+85512000726'),
      await khUploadForMy(newBytes),
    ]).toEqual([
      [409, RELEASE_REFUSED],
      [409, RELEASE_REFUSED],
      [409, RELEASE_REFUSED],
      [409, RELEASE_REFUSED],
    ]);
  });

  it('takes the numbers and bytes the person held only before the sending as KH’s own', async () => {
    expect([
      await khShareWithMy('+85512000721'),
      await khShareWithMy('+85512000722'),
      await khShareWithMy('+85512000725'),
      await khUploadForMy(oldBytes),
      await khUploadForMy(draftOnlyBytes),
    ]).toEqual([
      [201, undefined],
      [201, undefined],
      [201, undefined],
      [201, undefined],
      [201, undefined],
    ]);
  });
});
