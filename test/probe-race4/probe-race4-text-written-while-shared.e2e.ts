import { upload } from '../attachments/attachment-support';
import { personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, krArrest, krCase, krPerson, line, myReadsNumber, NUMBER, together } from './race4-support';

/**
 * Probe race 4: text carrying a number KH gave KR under AMBER, written onto a record while it is being
 * shared with MY — a custody change's reason on an arrest, a case's title and summary, a person linked
 * into a case with a file named with the number, a phone added to a person of a case. One after the
 * other, whichever goes second is refused (`release-refused`).
 * The custody change and the case edit failed until session 22: both succeeded in several rounds of 20 and MY read the
 * number (the custody history's `reason`, the case's `title` and `summary`). Each reads whom the record
 * goes to before taking its row lock: `ArrestsService.changeCustody` weighs the reason
 * (`releaseArrestText` → `arrestRecipients`) before its `UPDATE arrest … WHERE version = $3`;
 * `CasesService.update` weighs the edit (`requireCooperationWithShares` → `caseShares`) before its
 * `UPDATE case_file`. A share that takes its lock in between (`FOR NO KEY UPDATE` on the arrest,
 * `lockCase`) reads the old text, commits; the write's UPDATE then goes ahead (a share changes no
 * version) and MY reads what was never weighed for it.
 * Fixed (session 22): `releaseArrestText` locks the arrest and `requireCooperationWithShares` the case
 * before reading whom it goes to.
 * Linking a person (`linkCasePersons` takes `lockCase` first) and editing a person (its UPDATE comes
 * before `personChanged` reads the recipients; the share's `holdings` takes the person `FOR SHARE`) held.
 */
describe('Text with a number KH gave KR, written while its record is being shared with MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 10;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  it('a custody change: the change or the arrest’s share is refused, MY never reads the reason', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const arrest = await krArrest(tf, { name: `HAN Custody ${round}` });
      const [w, s] = await together(
        round,
        () =>
          tf['kr.officer'].post(`/arrests/${arrest.id}/custody`, {
            status: 'charged',
            reason: `Called his handler on ${NUMBER}`,
            version: arrest.version,
          }),
        () => tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }),
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/arrests/${arrest.id}/custody`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it('an edit of the case: the edit or the case’s share is refused, MY never reads the number', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const kase = (await tf['kr.officer'].post('/cases', { title: `Edit race ${round}` }).expect(201)).body;
      const [w, s] = await together(
        round,
        () =>
          tf['kr.officer'].patch(`/cases/${kase.id}`, {
            title: `Handler ${NUMBER}`,
            summary: `The compound's handler answers on ${NUMBER}`,
            version: kase.version,
          }),
        () => tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }),
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/cases/${kase.id}`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it('a person with a file named with the number, linked into the case: one is refused, MY never reads it', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `PARK Link ${round}`);
      await upload(
        t,
        tf['kr.officer'],
        `/persons/${person}/attachments`,
        Buffer.from(`notes ${round}`),
        `handler ${NUMBER}.txt`,
      ).expect(201);
      const kase = await krCase(tf, `Link race ${round}`);
      const [w, s] = await together(
        round,
        () =>
          tf['kr.officer'].post(`/cases/${kase}/persons`, {
            persons: [{ personId: person, role: 'suspect' }],
          }),
        () => tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }),
      );
      lines.push(
        line(round, w, s, await myReadsNumber(tf, [`/cases/${kase}`, `/persons/${person}/attachments`])),
      );
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it('a phone added to the person while a case holding it is shared: one is refused, MY never reads it', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `LEE Edit ${round}`);
      const kase = await krCase(tf, `Person edit race ${round}`, [person]);
      const current = (await tf['kr.officer'].get(`/persons/${person}`).expect(200)).body;
      const [w, s] = await together(
        round,
        () =>
          tf['kr.officer'].patch(`/persons/${person}`, {
            version: current.version,
            names: current.names,
            nationalities: current.nationalities,
            phones: [NUMBER],
          }),
        () => tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }),
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/persons/${person}`, `/cases/${kase}`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);
});
