import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, personKhGaveKr, RELEASE_REFUSED, send } from './support';

/**
 * Free text carries numbers too (issue 15, a limit left open in the last round): a passport number
 * that KH gave KR under AMBER+STRICT, typed into a message to MY — with spaces between its groups —
 * is refused as the number itself would be; the same words to KH, which gave it, go.
 */
describe('Numbers written into messages are weighed by the release rule', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await frameworkId(t, 'Korea–Malaysia');
  });
  afterAll(() => t?.close());

  const sentRequest = async (targetCountry: string, framework: string) => {
    const draft = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: framework,
          targetCountry,
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Compound staff',
          questions: ['Who else works there?'],
        })
        .expect(201)
    ).body;
    return send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
  };

  it('refuses a message to MY that spells out, in groups, a passport number KH gave under AMBER+STRICT', async () => {
    await personKhGaveKr(tf, 'AMBER+STRICT', 'KEO Rithy', {
      documents: [{ type: 'passport', number: 'N7001007', issuingCountry: 'KH' }],
    });
    const toMy = await sentRequest('MY', krMy);
    const body = 'Check your arrivals for passport N 7001 007, he flew out last week.';
    const refused = await tf['kr.officer']
      .post(`/information-requests/${toMy.id}/messages`, { body })
      .expect(409);
    expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
    expect(refused.body.errors[0].field).toBe('body');
    expect(
      (await tf['my.officer'].get(`/information-requests/${toMy.id}/messages`).expect(200)).body,
    ).toEqual([]);
    // The same words to KH, which gave the number, are KH's own data coming home.
    const toKh = await sentRequest('KH', tf.cambodiaKoreaFramework);
    await tf['kr.officer'].post(`/information-requests/${toKh.id}/messages`, { body }).expect(201);
    // Ordinary prose with numbers in it goes.
    await tf['kr.officer']
      .post(`/information-requests/${toMy.id}/messages`, { body: 'Meet at gate 12 of terminal 2 at 0930.' })
      .expect(201);
  });

  it('weighs numbers in a request’s subject and questions and in a shared case’s title and summary (probe, fourth round)', async () => {
    await personKhGaveKr(tf, 'AMBER', 'MEAS Bopha', {
      documents: [{ type: 'passport', number: 'N6613097', issuingCountry: 'KH' }],
    });
    const ask = (fields: object) =>
      tf['kr.officer'].post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Compound staff',
        questions: ['Who else works there?'],
        ...fields,
      });
    expect((await ask({ subject: 'Passport N6613097 seen at KLIA' }).expect(409)).body.errors[0].field).toBe(
      'subject',
    );
    expect((await ask({ questions: ['Is N 661 3097 known to you?'] }).expect(409)).body.errors[0].field).toBe(
      'questions[0]',
    );
    const kase = (await tf['kr.officer'].post('/cases', { title: 'About N6613097' }).expect(201)).body;
    const shared = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(409);
    expect(shared.body.errors[0].field).toBe('title');
    await tf['my.officer'].get(`/cases/${kase.id}`).expect(404);
    const plain = (await tf['kr.officer'].post('/cases', { title: 'Plain title' }).expect(201)).body;
    await tf['kr.liaison'].post(`/cases/${plain.id}/shares`, { countryCode: 'MY' }).expect(201);
    const current = (await tf['kr.officer'].get(`/cases/${plain.id}`).expect(200)).body;
    const edited = await tf['kr.officer']
      .patch(`/cases/${plain.id}`, { summary: 'Holder of N6613097', version: current.version })
      .expect(409);
    expect(edited.body.errors[0].field).toBe('summary');
    expect((await tf['my.officer'].get(`/cases/${plain.id}`).expect(200)).body.summary ?? '').not.toContain(
      'N6613097',
    );
  });

  it('weighs numbers in an arrest’s grounds when it is shared, in blacklist grounds, and in a person’s names (probe, fourth round)', async () => {
    await personKhGaveKr(tf, 'AMBER', 'KHIEU Dara', {
      documents: [{ type: 'passport', number: 'N7120559', issuingCountry: 'KH' }],
    });
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Carried passport N7120559 of a compound boss',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          person: { names: [{ full: 'PARK Courier', kind: 'primary' }], nationalities: ['KR'] },
        })
        .expect(201)
    ).body;
    const shared = await tf['kr.liaison']
      .post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' })
      .expect(409);
    expect(shared.body.errors[0].field).toBe('grounds');
    await tf['my.officer'].get(`/arrests/${arrest.id}`).expect(404);
    const person = (
      await tf['kr.officer'].post('/persons', { names: [{ full: 'PARK Ban', kind: 'primary' }] }).expect(201)
    ).body;
    const proposal = await tf['kr.officer']
      .post('/blacklist-entries', {
        frameworkId: krMy,
        banningCountry: 'MY',
        entry: { personId: person.id, grounds: 'Travels on N7120559', groundsSummary: 'Courier' },
      })
      .expect(409);
    expect(proposal.body.errors[0].field).toBe('entries[0].grounds');
    const named = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'Holder of N7120559', kind: 'alias' }] })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Names', persons: [{ personId: named.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const refused = await tf['kr.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'MY' })
      .expect(409);
    expect(refused.body.errors[0].field).toBe('persons[0].names[0].full');
  });
});
