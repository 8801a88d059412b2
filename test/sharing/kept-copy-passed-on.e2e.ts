import { khCaseSharedWithKr, khEditsPerson, krArrestsKhPerson, send } from './support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A country that keeps a copy of another country's person passes on only that copy, by every link it
 * makes (probe r10 found it by a case share): its arrest shared, its request sent. A country the owner
 * gave the person to itself, by a share still live, keeps reading the owner's person live whatever a
 * partner passes on to it.
 */
describe('Sharing: a kept copy passed on', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  }, 60_000);
  afterAll(() => t?.close());

  /** KH's person in a case shared with KR (CLEAR); the share revoked, KH adds `gapPhone`: KR keeps a copy. */
  const krKeepsACopy = async (name: string, phone: string, gapPhone: string) => {
    const { personId, caseId, arrestId } = await krArrestsKhPerson(
      tf,
      { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KH'], phones: [phone] },
      'CLEAR',
    );
    // KR's own case holds the person too: KR reads it (its arrest alone shows it as recorded).
    await tf['kr.officer']
      .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
      .expect(201);
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await khEditsPerson(tf, personId, { phones: [phone, gapPhone] });
    expect((await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body.phones).toEqual([phone]);
    return { personId, arrestId };
  };

  it('by an arrest share: MY reads the person as KR keeps it', async () => {
    const { personId, arrestId } = await krKeepsACopy('SOK Arrested', '+85512000901', '+85512000902');
    await tf['kr.liaison']
      .post(`/arrests/${arrestId}/shares`, { countryCode: 'MY', handlingCode: 'CLEAR' })
      .expect(200);

    const my = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(my.phones).toEqual(['+85512000901']);
    const found = (
      await tf['my.officer'].get(`/persons?phone=${encodeURIComponent('+85512000902')}`).expect(200)
    ).body.items;
    expect(found).toEqual([]);
  }, 60_000);

  it('by a request sent to MY: MY reads the person as KR keeps it', async () => {
    const { personId } = await krKeepsACopy('SOK Asked', '+85512000911', '+85512000912');
    const draft = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: await tf.frameworkBetween('KR', 'MY'),
          targetCountry: 'MY',
          priority: 'routine',
          handlingCode: 'CLEAR',
          subject: 'Has he entered Malaysia?',
          questions: ['Entries since March?'],
          personIds: [personId],
        })
        .expect(201)
    ).body;
    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);

    const my = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(my.phones).toEqual(['+85512000911']);
  }, 60_000);

  it('MY, which KH shares the person with itself, keeps reading it live when KR passes its copy on', async () => {
    // KH and MY cooperate (the task force has no framework joining them).
    await t.dataSource.query(
      `WITH f AS (INSERT INTO framework (name, valid_from) VALUES ('Cambodia–Malaysia test framework', '2020-01-01')
                  RETURNING id)
       INSERT INTO framework_member (framework_id, country_code, joined_on)
       SELECT id, unnest(ARRAY['KH', 'MY']), DATE '2020-01-01' FROM f`,
    );
    const { personId, caseId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Direct', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000921'],
      },
      'KH case shared with KR, then with MY',
      'CLEAR',
    );
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
    await tf['kh.liaison']
      .post(`/cases/${caseId}/shares`, { countryCode: 'MY', handlingCode: 'CLEAR' })
      .expect(201);
    await khEditsPerson(tf, personId, { phones: ['+85512000921', '+85512000922'] });

    await tf['kr.liaison']
      .post(`/cases/${krCase}/shares`, { countryCode: 'MY', handlingCode: 'CLEAR' })
      .expect(201);
    await khEditsPerson(tf, personId, { phones: ['+85512000921', '+85512000922', '+85512000923'] });

    expect((await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body.phones).toEqual([
      '+85512000921',
    ]);
    expect((await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body.phones).toEqual([
      '+85512000921',
      '+85512000922',
      '+85512000923',
    ]);
  }, 60_000);
});
