import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { identifiersKhGaveKr, RELEASE_REFUSED } from '../sharing/support';

/**
 * Probe (round 2): KH gives KR an account number under AMBER+STRICT. A KR person whose name's `full`
 * holds the number is refused when linked into a case shared with MY (release-refused). The same number
 * in the name's `given` or `family` part is not weighed: the link goes and MY reads the number in the
 * person's names. The person's identifiers (src/sharing/release.service.ts, the helper that lists "a
 * person's document numbers, phones and numbers in its notes and names") run numbersIn over `n.full`
 * only.
 * Fix: src/sharing/release.service.ts — weigh names[].given and names[].family with names[].full.
 */
describe('Probe r2: a person name’s given and family parts carry an AMBER+STRICT number to MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  const account = '820374615593';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
    });
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Mule network' }).expect(201)).body;
    await tf['kr.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
      .expect(201);
    caseId = kase.id;
  }, 120_000);
  afterAll(() => t?.close());

  /** KR records a person with this name and links it into the case MY reads. */
  const link = async (name: object) => {
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ script: 'latin', kind: 'primary', ...name }], nationalities: ['KR'] })
        .expect(201)
    ).body as { id: string };
    const linked = await tf['kr.officer'].post(`/cases/${caseId}/persons`, {
      persons: [{ personId: person.id, role: 'suspect' }],
    });
    const myView = await tf['my.officer'].get(`/persons/${person.id}`);
    return `${linked.status} ${linked.body.type ?? ''} / MY ${myView.status}`;
  };

  it('refuses the number in the full name (the rule works)', async () => {
    expect(await link({ full: `KIM ${account}` })).toBe(`409 ${RELEASE_REFUSED} / MY 404`);
  });

  it('refuses it in the given or family name, so MY never reads it', async () => {
    expect({
      given: await link({ full: 'KIM Minsu', given: `Acct ${account}`, family: 'Kim' }),
      family: await link({ full: 'KIM Minsu', given: 'Minsu', family: `Acct ${account}` }),
    }).toEqual({
      given: `409 ${RELEASE_REFUSED} / MY 404`,
      family: `409 ${RELEASE_REFUSED} / MY 404`,
    });
  });
});
