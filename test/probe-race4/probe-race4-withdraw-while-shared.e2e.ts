import { personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  broken,
  krArrest,
  krCase,
  krFile,
  krPerson,
  line,
  myFileStatus,
  myReadsNumber,
  NUMBER,
  together,
  withdraw,
} from './race4-support';

/**
 * Probe race 4: a file withdrawn, with a number KH gave KR under AMBER in its reason, while the record
 * holding the file is being shared with MY. One after the other, whichever goes second is refused
 * (`release-refused`): a share weighs the withdrawal reasons of the files MY will list
 * (`caseFileTexts`, `arrestTextsFor`, `personFileTexts`), a withdrawal weighs its reason for the
 * countries that read the record (`ReleaseService.withdrawFile`). Raced, both succeed in about a third of
 * the rounds, and in some of those MY reads the reason, number and all (`withdrawalReason`).
 * Why: `AttachmentsService.withdraw` → `ReleaseService.withdrawFile` takes no lock on the file's parent
 * before reading whom it goes to (`caseShares` in `requireCooperationWithShares`, `arrestRecipients` in
 * `releaseArrestText`, `recipientsOf` in `keepForEndedCooperation`), while the share locks the case
 * (`lockCase`), the arrest (`FOR NO KEY UPDATE`) or the person (`holdings`' `FOR SHARE`) and reads the
 * withdrawal reasons before the withdrawal commits: write skew, as for uploads before session 21.
 * When the withdrawal's transaction started first, MY never reads the file (withdrawn before MY first
 * saw its record: `attachmentDraftedAwaySql`), so nothing shows; when the share's did, MY reads the
 * file as withdrawn, with its reason.
 * Fixed (session 22): `withdrawFile` locks the parent as `attachFile` does before reading its recipients
 * (`requireCooperationWithShares` → `lockCase`, `releaseArrestText` → `lockArrest`, `lockPerson`).
 */
describe('A file withdrawn for a number KH gave KR while its record is being shared with MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  // Before the fix both succeeded in about a third of the rounds (MY read the reason in 1–2 of 40).
  const ROUNDS = 10;
  const reason = `Wrong handset, the right one is ${NUMBER}`;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  it("a case's file: the withdrawal or the case's share is refused, and MY never reads the reason", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const kase = await krCase(tf, `Withdraw race ${round}`);
      const file = await krFile(t, tf, `/cases/${kase}/attachments`, 'notes.txt');
      const [w, s] = await together(
        round,
        () => withdraw(tf['kr.officer'], file, reason),
        () => tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }),
      );
      lines.push(
        line(round, w, s, await myReadsNumber(tf, [`/cases/${kase}/attachments`, `/attachments/${file}`])) +
          `; MY reads the file ${await myFileStatus(tf, file)}`,
      );
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it("an arrest's file: the withdrawal or the arrest's share is refused, and MY never reads the reason", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const arrest = await krArrest(tf, { name: `HAN Withdraw ${round}` });
      const file = await krFile(t, tf, `/arrests/${arrest.id}/attachments`, 'notes.txt');
      const [w, s] = await together(
        round,
        () => withdraw(tf['kr.officer'], file, reason),
        () => tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }),
      );
      lines.push(
        line(
          round,
          w,
          s,
          await myReadsNumber(tf, [`/arrests/${arrest.id}/attachments`, `/attachments/${file}`]),
        ) + `; MY reads the file ${await myFileStatus(tf, file)}`,
      );
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it("a person's file, while a case holding the person is shared: one is refused, MY never reads the reason", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `PARK Withdraw ${round}`);
      const file = await krFile(t, tf, `/persons/${person}/attachments`, 'notes.txt');
      const kase = await krCase(tf, `Person withdraw race ${round}`, [person]);
      const [w, s] = await together(
        round,
        () => withdraw(tf['kr.officer'], file, reason),
        () => tf['kr.liaison'].post(`/cases/${kase}/shares`, { countryCode: 'MY' }),
        1,
      );
      lines.push(
        line(
          round,
          w,
          s,
          await myReadsNumber(tf, [`/persons/${person}/attachments`, `/attachments/${file}`]),
        ) + `; MY reads the file ${await myFileStatus(tf, file)}`,
      );
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);

  it("a person's file, while an arrest of the person is shared: one is refused, MY never reads the reason", async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `KIM Withdraw ${round}`);
      const file = await krFile(t, tf, `/persons/${person}/attachments`, 'notes.txt');
      const arrest = await krArrest(tf, { personId: person });
      const [w, s] = await together(
        round,
        () => withdraw(tf['kr.officer'], file, reason),
        () => tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }),
        1,
      );
      lines.push(
        line(
          round,
          w,
          s,
          await myReadsNumber(tf, [`/persons/${person}/attachments`, `/attachments/${file}`]),
        ) + `; MY reads the file ${await myFileStatus(tf, file)}`,
      );
    }
    expect(broken(lines)).toEqual([]);
  }, 300_000);
});
