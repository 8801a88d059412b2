import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A country that keeps a copy of another country's person (its request was withdrawn) reads the person
 * live again as soon as the owner sends it a new request naming the person: the new request carries the
 * person as it stands now. The copy went only at the owner's next change of the person, so the target
 * read a request about a person whose phone it did not show.
 */
describe('A kept copy goes when the owner sends a new request naming the person', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('shows the target the person as the new request carries it, at once', async () => {
    const person = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Resent', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          phones: ['+85512000551'],
        })
        .expect(201)
    ).body as { id: string };
    const about = () =>
      givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('GREEN').about(person.id);
    const first = await about().sent();
    await tf['kh.officer']
      .post(`/information-requests/${first.id}/withdraw`, { version: first.version })
      .expect(200);
    const current = (await tf['kh.officer'].get(`/persons/${person.id}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${person.id}`, {
        version: current.version,
        names: current.names,
        nationalities: ['KH'],
        phones: ['+85512000552'],
      })
      .expect(200);
    // KR keeps the person as the withdrawn request left it.
    expect((await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body.phones).toEqual([
      '+85512000551',
    ]);

    await about().sent();
    expect((await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body.phones).toEqual([
      '+85512000552',
    ]);
  });
});
