import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { RELEASE_REFUSED } from './support';

/**
 * A person-level consent covers the numbers the person carried when it was given (probe r13, finding 4):
 * one the owner adds afterwards does not go on under it, and goes once the owner consents again.
 */
describe('Consent to pass a person on covers what it carried when given', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const names = [{ full: 'KEO Sambath', script: 'latin', kind: 'primary' }];
  const passport = (number: string) => ({ type: 'passport', number, issuingCountry: 'KH' });
  const documentNumbers = (person: { documents?: Array<{ number: string }> }) =>
    (person.documents ?? []).map((d) => d.number);
  const consent = (personId: string) =>
    givenIn(tf)
      .aRequest('release')
      .from('KR')
      .sentTo('KH')
      .with({ recipientCountry: 'MY', personIds: [personId], subject: 'May KEO go to Malaysia?' })
      .accepted();

  it('a number added after consenting is refused to the third country until KH consents again', async () => {
    const person = (
      await tf['kh.officer']
        .post('/persons', { names, nationalities: ['KH'], documents: [passport('N7002001')] })
        .expect(201)
    ).body;
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: 'Poipet compound', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/cases/${khCase.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(201);
    expect((await consent(person.id)).granted).toBe(true);

    const current = (await tf['kh.officer'].get(`/persons/${person.id}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${person.id}`, {
        version: current.version,
        names,
        nationalities: ['KH'],
        documents: [passport('N7002001'), passport('N7002002')],
      })
      .expect(200);
    expect(documentNumbers((await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body)).toEqual([
      'N7002001',
      'N7002002',
    ]);

    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR follow-up', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const refused = await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
      .expect(409);
    expect(refused.body).toMatchObject({
      type: RELEASE_REFUSED,
      rules: ['AMBER'],
      askRelease: '/api/v1/release-requests',
    });
    // Only the later number is named (as a document and in the record's number list): the one the
    // person carried when KH consented is covered.
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'persons[0].document_numbers[1]',
      'persons[0].documents[1].number',
    ]);
    await tf['my.officer'].get(`/persons/${person.id}`).expect(404);

    // KR asks again: KH consents to the person as it stands now, the later number with it.
    await consent(person.id);
    await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
      .expect(201);
    expect(documentNumbers((await tf['my.officer'].get(`/persons/${person.id}`).expect(200)).body)).toEqual([
      'N7002001',
      'N7002002',
    ]);
  });
});
