import type { SignedIn } from '../support/http';
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
  const draft = (
    await tf['kr.officer']
      .post('/information-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: code,
        subject: `Who is behind compound ${serial}?`,
        questions: ['Who runs it?'],
      })
      .expect(201)
  ).body;
  const sent = await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
  const accepted = (
    await tf['kh.liaison']
      .post(`/information-requests/${sent.id}/accept`, { version: sent.version })
      .expect(200)
  ).body;
  const done = await tf['kh.liaison']
    .post(`/information-requests/${sent.id}/fulfil`, {
      version: accepted.version,
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
    })
    .expect(200);
  return done.body.findings.personIds[0] as string;
}

/** KR asks KH under `code` (naming `asked` phones of its own); KH answers with identifiers. */
export async function identifiersKhGaveKr(tf: TaskForce, code: string, answered: object, asked: string[] = []) {
  const draft = (
    await tf['kr.officer']
      .post('/information-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: code,
        subject: 'Which accounts does the compound use?',
        questions: ['Accounts and phones?'],
        identifiers: { phones: asked },
      })
      .expect(201)
  ).body;
  const sent = await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
  const accepted = (
    await tf['kh.liaison'].post(`/information-requests/${sent.id}/accept`, { version: sent.version }).expect(200)
  ).body;
  await tf['kh.liaison']
    .post(`/information-requests/${sent.id}/fulfil`, {
      version: accepted.version,
      findings: { summary: 'Used for deposits', identifiers: answered },
    })
    .expect(200);
}
