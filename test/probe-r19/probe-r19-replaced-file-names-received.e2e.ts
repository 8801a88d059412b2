import { aPdf, upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED, send } from '../sharing/support';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r19: KR shares a case with MY. Its file's current version is named with a phone number; an
 * earlier version, replaced before the share, was named with another. MY reads the current version
 * only (the earlier one never existed for MY), so MY received the first number from KR and not the
 * second: MY writing the first into a MY case it shares with KH is refused (KR's, under AMBER), the
 * second is MY's own to share; so are a number in the reason of a file KR withdrew before the share, and
 * in the names of versions of files of a person on the case and of a KR arrest replaced before they
 * reached MY. Were
 * those refused, MY would learn what KR's record held before MY read it. (The demo's multilateral body
 * joins MY and KH.)
 */
describe('Probe r19: a number in the name of a version replaced before the share', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Handsets r19' }).expect(201)).body;
    const path = `/cases/${kase.id}/attachments`;
    const v1 = await upload(
      t,
      tf['kr.officer'],
      path,
      aPdf(3_000, 'handset-1'),
      'handset +85512000333.pdf',
    ).expect(201);
    await upload(t, tf['kr.officer'], path, aPdf(3_000, 'handset-2'), 'handset +85512000444.pdf', {
      'X-Supersedes': v1.body.id as string,
    }).expect(201);
    // A file withdrawn before the share, its reason naming a third number.
    const gone = await upload(t, tf['kr.officer'], path, aPdf(3_000, 'handset-3'), 'handset.pdf').expect(201);
    await tf['kr.officer']
      .post(`/attachments/${gone.body.id}/withdraw`, { reason: 'Wrong handset, it was +85512000555' })
      .expect(200);
    // A person on the case, its file's first version named with a fifth number.
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'SEO Named', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body;
    const onPerson = `/persons/${person.id}/attachments`;
    const p1 = await upload(
      t,
      tf['kr.officer'],
      onPerson,
      aPdf(3_000, 'person-1'),
      'sim +85512000777.pdf',
    ).expect(201);
    await upload(t, tf['kr.officer'], onPerson, aPdf(3_000, 'person-2'), 'sim.pdf', {
      'X-Supersedes': p1.body.id as string,
    }).expect(201);
    await tf['kr.officer']
      .post(`/cases/${kase.id}/persons`, { persons: [{ personId: person.id, role: 'suspect' }] })
      .expect(201);
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    expect(
      (await tf['my.officer'].get(onPerson).expect(200)).body.items.map(
        (a: { filename: string }) => a.filename,
      ),
    ).toEqual(['sim.pdf']);
    // An arrest shared with MY, its file's first version named with a fourth number.
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-05T02:30:00Z',
          place: 'Busan',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          person: { names: [{ full: 'BAEK Named', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    const onArrest = `/arrests/${arrest.id}/attachments`;
    const a1 = await upload(
      t,
      tf['kr.officer'],
      onArrest,
      aPdf(3_000, 'arrest-1'),
      'phone +85512000666.pdf',
    ).expect(201);
    await upload(t, tf['kr.officer'], onArrest, aPdf(3_000, 'arrest-2'), 'phone.pdf', {
      'X-Supersedes': a1.body.id as string,
    }).expect(201);
    await tf['kr.liaison']
      .post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
      .expect(200);
    const names = (await tf['my.officer'].get(path).expect(200)).body.items.map(
      (a: { filename: string }) => a.filename,
    );
    expect(names).toEqual(['handset +85512000444.pdf']);
    expect(
      (await tf['my.officer'].get(onArrest).expect(200)).body.items.map(
        (a: { filename: string }) => a.filename,
      ),
    ).toEqual(['phone.pdf']);
  }, 120_000);
  afterAll(() => t?.close());

  const myShareWithKh = async (number: string) => {
    const kase = (
      await tf['my.officer']
        .post('/cases', { title: 'MY handsets', summary: `Handset ${number} seen in Johor` })
        .expect(201)
    ).body;
    const res = await tf['my.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'KH' });
    return [res.status, res.body.type];
  };

  it('refuses the number MY read in the current name (the control)', async () => {
    expect(await myShareWithKh('+85512000444')).toEqual([409, RELEASE_REFUSED]);
  });

  it('takes the numbers of a replaced name, a reason of a file withdrawn before the share, and replaced names of a person’s and an arrest’s files as MY’s own', async () => {
    const answers: Record<string, unknown> = {};
    for (const n of ['+85512000333', '+85512000555', '+85512000666'])
      answers[n] = (await myShareWithKh(n))[0];
    expect(answers).toEqual({ '+85512000333': 201, '+85512000555': 201, '+85512000666': 201 });
  });
});

describe('Probe r19: a number in the name of a version replaced before a request was sent', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  it('takes the number of a name replaced, or of a file withdrawn, while KR drafted the request as KH’s own', async () => {
    const draft = (
      await tf['kr.officer'].post('/information-requests', aDraft(tf.cambodiaKoreaFramework)).expect(201)
    ).body;
    const path = `/information-requests/${draft.id}/attachments`;
    const v1 = await upload(t, tf['kr.officer'], path, aPdf(3_000, 'draft-1'), 'sim +85512000881.pdf').expect(
      201,
    );
    await upload(t, tf['kr.officer'], path, aPdf(3_000, 'draft-2'), 'sim +85512000882.pdf', {
      'X-Supersedes': v1.body.id as string,
    }).expect(201);
    const gone = await upload(
      t,
      tf['kr.officer'],
      path,
      aPdf(3_000, 'draft-3'),
      'sim +85512000883.pdf',
    ).expect(201);
    await tf['kr.officer']
      .post(`/attachments/${gone.body.id}/withdraw`, { reason: 'Not this one' })
      .expect(200);
    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
    const names = (await tf['kh.officer'].get(path).expect(200)).body.items.map(
      (a: { filename: string }) => a.filename,
    );
    expect(names).toEqual(['sim +85512000882.pdf']);

    const khShareWithMy = async (number: string) => {
      const kase = (
        await tf['kh.officer']
          .post('/cases', { title: 'KH SIMs', summary: `SIM ${number} seen in Poipet` })
          .expect(201)
      ).body;
      return (await tf['kh.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' })).status;
    };
    const answers: Record<string, number> = {};
    for (const n of ['+85512000882', '+85512000881', '+85512000883']) answers[n] = await khShareWithMy(n);
    // The first KH read (the control); the others never reached KH.
    expect(answers).toEqual({ '+85512000882': 409, '+85512000881': 201, '+85512000883': 201 });
  });
});
