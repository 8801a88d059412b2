import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/http';
import { khEditsPerson, krArrestsKhPerson } from '../sharing/support';

/**
 * Probe (round 6): the arrest duplicate check (409 `duplicate-arrests`) compares a new arrest's document
 * numbers with the LIVE person of each arrest the country recorded that day — also a person another
 * country owns and the arresting country no longer reads. KH shares a case with its person P with KR;
 * KR arrests P (`personId`) on 2026-04-02; KH revokes the share (KR: 404 on P) and then adds passport
 * `N4477001` to P. KR now records a raid (`POST /arrests/batch`) with an arrest of a new person carrying passport `N4477001` on the same day:
 * the answer is 409 "repeats an arrest already recorded on the same day" (field
 * `person.documents[0].number`), while any other number answers 201 (`POST /arrests/batch`, a raid; the
 * single `POST /arrests` does not check duplicates). KR thus tests guesses against
 * the current documents of a person it may not read, including edits KH made after the share ended
 * (the same holds for a kept copy after a framework's end: the check reads `person.document_numbers`,
 * never the reader's copy).
 * Fix: src/arrests/duplicate-arrests.ts `recordedDuplicates`: compare document numbers only as the
 * arresting country reads the person (its own persons; another country's person only while visible,
 * and from its kept copy where it keeps one), e.g. restrict the document branch to persons owned by
 * the arresting country or filter it by `personScope`/kept copy.
 */
/**
 * KR arrests KH's person P, then stops reading it (`end`), then KH gives P passport N4477001; KR records a
 * raid with a new person carrying that number, and one carrying a number KH never used.
 */
async function scenario(end: (t: TestApp, tf: TaskForce, caseId: string) => Promise<void>) {
  const t = await createTestApp();
  const tf = await taskForce(t);
  const arrestOfNew = (number: string) =>
    tf['kr.officer'].post('/arrests/batch', {
      arrests: [
        {
          arrestedAt: '2026-04-02T10:00:00Z',
          place: 'Incheon airport',
          grounds: 'Forged travel document',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KH',
          person: {
            names: [{ full: 'Unknown Traveller', script: 'latin', kind: 'primary' }],
            documents: [{ type: 'passport', number, issuingCountry: 'KH' }],
          },
        },
      ],
    });
  const { personId, caseId } = await krArrestsKhPerson(tf, {
    names: [{ full: 'SOK Dupcheck', script: 'latin', kind: 'primary' }],
    nationalities: ['KH'],
  });
  await end(t, tf, caseId);
  await khEditsPerson(tf, personId, {
    documents: [{ type: 'passport', number: 'N4477001', issuingCountry: 'KH' }],
  });
  const read = await tf['kr.officer'].get(`/persons/${personId}`);
  const other = await arrestOfNew('N9911002');
  const guessed = await arrestOfNew('N4477001');
  return { t, read, other, guessed };
}

describe('Probe r6: the arrest duplicate check tells a country the documents of a person it no longer reads', () => {
  let s: Awaited<ReturnType<typeof scenario>>;
  beforeAll(async () => {
    s = await scenario(async (_t, tf, caseId) => {
      await tf['kh.liaison']
        .delete(`/cases/${caseId}/shares/KR`)
        .expect((res) => expect(res.status).toBeLessThan(300));
    });
  }, 120_000);
  afterAll(() => s?.t.close());

  it('KR cannot read the person any more, and a number KH never used is recorded', () => {
    expect(s.read.status).toBe(404);
    expect(s.other.status).toBe(201);
  });

  it('a number KH added after the share ended answers as any other number (no 409 duplicate)', () => {
    expect(s.guessed.body).not.toMatchObject({ title: 'Arrests already recorded' });
    expect(s.guessed.status).toBe(201);
  });
});

describe('Probe r6: the arrest duplicate check reads the live person, not the copy a country keeps after a framework ends', () => {
  let s: Awaited<ReturnType<typeof scenario>>;
  beforeAll(async () => {
    // The Joint Task Force ends: KR keeps reading the person as it stood (a kept copy, no documents).
    s = await scenario(async (t, tf) => {
      const admin = await signIn(t.server, 'platform.admin');
      await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
    });
  }, 120_000);
  afterAll(() => s?.t.close());

  it('KR reads its kept copy, without the passport KH added after the end; another number is recorded', () => {
    expect(s.read.status).toBe(200);
    expect(s.read.body.documents).toEqual([]);
    expect(s.other.status).toBe(201);
  });

  it('a number KH added after the framework ended answers as any other number (no 409 duplicate)', () => {
    expect(s.guessed.body).not.toMatchObject({ title: 'Arrests already recorded' });
    expect(s.guessed.status).toBe(201);
  });
});
