import type { SignedIn } from '../support/http';
import { givenIn } from '../support/given';
import type { TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';

export const HANDLING_CODES = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Code = (typeof HANDLING_CODES)[number];

export const RELEASE_REFUSED = 'urn:case-desk:problem:release-refused';

export async function frameworkId(t: TestApp, name: string): Promise<string> {
  const [row] = await t.dataSource.query(`SELECT id FROM framework WHERE name LIKE $1`, [`${name}%`]);
  return row.id as string;
}

/** Walks a draft through submit and approve: the target sees it from now on. */
export async function send(
  officer: SignedIn,
  liaison: SignedIn,
  path: string,
  draft: { id: string; version: number },
) {
  const submitted = await officer.post(`${path}/${draft.id}/submit`, { version: draft.version }).expect(200);
  return (await liaison.post(`${path}/${draft.id}/approve`, { version: submitted.body.version }).expect(200))
    .body as { id: string; version: number };
}

let serial = 0;

/**
 * KR asks KH under `code`; KH answers with a person of its own. Returns that person: KR now holds it,
 * received from KH under `code`.
 */
export async function personKhGaveKr(
  tf: TaskForce,
  code: Code,
  name = 'SOK Vanna',
  /** More of the person KH gives (documents, other phones). */
  extra: object = {},
): Promise<string> {
  serial += 1;
  const answered = await givenIn(tf)
    .anInformationRequest()
    .from('KR')
    .sentTo('KH')
    .handledAs(code)
    .with({ subject: `Who is behind compound ${serial}?` })
    .fulfilled({
      findings: {
        summary: 'Found him',
        persons: [
          {
            names: [{ full: `${name} ${serial}`, script: 'latin', kind: 'primary' }],
            nationalities: ['KH'],
            phones: ['+85512000111'],
            notes: 'Informant says he manages the compound',
            ...extra,
          },
        ],
      },
    });
  return (answered.findings as { personIds: string[] }).personIds[0]!;
}

/** KR asks KH under `code` (naming `asked` phones of its own); KH answers with identifiers. */
export async function identifiersKhGaveKr(
  tf: TaskForce,
  code: string,
  answered: object,
  asked: string[] = [],
) {
  await givenIn(tf)
    .anInformationRequest()
    .from('KR')
    .sentTo('KH')
    .handledAs(code)
    .with({
      subject: 'Which accounts does the compound use?',
      questions: ['Accounts and phones?'],
      identifiers: { phones: asked },
    })
    .fulfilled({ findings: { summary: 'Used for deposits', identifiers: answered } });
}

/**
 * KH records `person`, opens a case `title` holding it as a suspect and shares the case with KR under
 * `code`: KR reads both through that share. Returns their ids.
 */
export async function khCaseSharedWithKr(
  tf: TaskForce,
  person: object,
  title: string,
  code = 'AMBER',
): Promise<{ personId: string; caseId: string }> {
  const personId = (await tf['kh.officer'].post('/persons', person).expect(201)).body.id as string;
  const caseId = (
    await tf['kh.officer'].post('/cases', { title, persons: [{ personId, role: 'suspect' }] }).expect(201)
  ).body.id as string;
  await tf['kh.liaison']
    .post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: code })
    .expect(201);
  return { personId, caseId };
}

/**
 * KH's person in a case shared with KR (`khCaseSharedWithKr`), which KR arrests by `personId` on
 * 2 April 2026: KR's own arrest of another country's person. Returns the ids.
 */
export async function krArrestsKhPerson(
  tf: TaskForce,
  person: object,
  code = 'AMBER',
): Promise<{ personId: string; caseId: string; arrestId: string }> {
  const { personId, caseId } = await khCaseSharedWithKr(tf, person, 'Shared, then no longer', code);
  const arrestId = (
    await tf['kr.officer']
      .post('/arrests', {
        arrestedAt: '2026-04-02T08:00:00Z',
        place: 'Incheon airport',
        grounds: 'Fraud',
        arrestingAgency: 'Korean National Police Agency',
        nationality: 'KH',
        personId,
      })
      .expect(201)
  ).body.id as string;
  return { personId, caseId, arrestId };
}

/** KH's officer changes its person: `changes` over its current names and nationalities. */
export async function khEditsPerson(tf: TaskForce, personId: string, changes: object): Promise<void> {
  const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
  await tf['kh.officer']
    .patch(`/persons/${personId}`, {
      version: current.version,
      names: current.names,
      nationalities: current.nationalities,
      ...changes,
    })
    .expect(200);
}
