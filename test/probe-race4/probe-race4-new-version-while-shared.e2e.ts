import { personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  broken,
  krArrest,
  krCase,
  krFile,
  krPerson,
  krUpload,
  line,
  myReadsNumber,
  NUMBER,
  together,
} from './race4-support';

/**
 * Probe race 4: a file named with a number KH gave KR under AMBER, filed while the record it goes on is
 * being shared with MY — a new version of a file (`X-Supersedes`) of a case or an arrest, or a person's
 * own file while a case or an arrest holding the person is shared. One after the other, whichever goes
 * second is refused (`release-refused`): `attachFile` weighs the name for the countries that read the
 * record, the share weighs the names of the files MY will list. `attachFile` locks the case, the arrest
 * or the person first (session 21), so the two run one after the other.
 */
describe('A file named with a number KH gave KR, filed while its record is being shared with MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 10;
  const named = `handler ${NUMBER}.txt`;
  // An upload streams its bytes before its transaction: the share starts up to 90 ms later (or earlier).
  const UPLOAD_STEP = 10;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  it("a new version of a case's file: the upload or the share is refused, MY never reads the name", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const kase = await krCase(tf, `Version race ${round}`);
      const old = await krFile(t, tf, `/cases/${kase}/attachments`, 'notes.txt');
      const [w, s] = await together(
        round,
        () => krUpload(t, tf, `/cases/${kase}/attachments`, named, { 'X-Supersedes': old }),
        () => tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }),
        UPLOAD_STEP,
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/cases/${kase}/attachments`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it("a new version of an arrest's file: the upload or the share is refused, MY never reads the name", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const arrest = await krArrest(tf, { name: `HAN Version ${round}` });
      const old = await krFile(t, tf, `/arrests/${arrest.id}/attachments`, 'notes.txt');
      const [w, s] = await together(
        round,
        () => krUpload(t, tf, `/arrests/${arrest.id}/attachments`, named, { 'X-Supersedes': old }),
        () => tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }),
        UPLOAD_STEP,
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/arrests/${arrest.id}/attachments`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it("a person's file, while a case holding the person is shared: one is refused, MY never reads the name", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `PARK Upload ${round}`);
      const kase = await krCase(tf, `Person upload race ${round}`, [person]);
      const [w, s] = await together(
        round,
        () => krUpload(t, tf, `/persons/${person}/attachments`, named),
        () => tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }),
        UPLOAD_STEP,
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/persons/${person}/attachments`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it("a person's file, while an arrest of the person is shared: one is refused, MY never reads the name", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `KIM Upload ${round}`);
      const arrest = await krArrest(tf, { personId: person });
      const [w, s] = await together(
        round,
        () => krUpload(t, tf, `/persons/${person}/attachments`, named),
        () => tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }),
        UPLOAD_STEP,
      );
      lines.push(line(round, w, s, await myReadsNumber(tf, [`/persons/${person}/attachments`])));
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);
});
