import type { TestApp } from './test-app';
import { signIn, SignedIn } from './http';

/** The demo cast of the KR→KH task force, signed in once per spec file. */
/** The demo cast every spec signs in: KR, KH and MY officers, liaisons and auditors, and KR's screener. */
export const TASK_FORCE_CAST = [
  'kr.officer',
  'kr.officer2',
  'kr.liaison',
  'kr.liaison2',
  'kr.screener',
  'kr.auditor',
  'kh.officer',
  'kh.officer2',
  'kh.liaison',
  'kh.liaison2',
  'kh.auditor',
  'my.officer',
  'my.liaison',
  'my.auditor',
] as const;

export async function taskForce(t: TestApp) {
  const names = TASK_FORCE_CAST;
  const users = {} as Record<(typeof names)[number], SignedIn>;
  for (const name of names) users[name] = await signIn(t.server, name);
  const [framework] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name = 'Cambodia–Korea Joint Task Force'`,
  );
  const userId = async (username: string) =>
    (await t.dataSource.query(`SELECT id FROM app_user WHERE username = $1`, [username]))[0].id as string;
  /** The active cooperation framework two countries share (the first by name), or null. */
  const frameworkBetween = async (a: string, b: string) => {
    const [row] = await t.dataSource.query(
      `SELECT f.id FROM framework f
        WHERE f.active AND (SELECT count(*) FROM framework_member m
                             WHERE m.framework_id = f.id AND m.country_code IN ($1, $2)) = 2
        ORDER BY f.name LIMIT 1`,
      [a, b],
    );
    return (row?.id as string | undefined) ?? null;
  };
  return { ...users, cambodiaKoreaFramework: framework.id as string, userId, frameworkBetween };
}

export type TaskForce = Awaited<ReturnType<typeof taskForce>>;

export const aDraft = (frameworkId: string, overrides: object = {}) => ({
  frameworkId,
  targetCountry: 'KH',
  priority: 'urgent',
  handlingCode: 'AMBER',
  subject: 'Who holds +85512345678 and the Golden Fortune compound accounts?',
  questions: ['Subscriber of +85512345678?', 'Who controls the ABA account 000123456?'],
  identifiers: {
    phones: ['+85512345678'],
    bankAccounts: [{ institution: 'ABA Bank', accountNumber: '000123456' }],
    compounds: ['Golden Fortune'],
  },
  ...overrides,
});
