import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';
import { signIn, type SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/** The demo world, where the multilateral body joins KR, KH and MY: `names` signed in, and the body's id. */
export async function multilateralWorld(
  names: string[],
): Promise<{ t: TestApp; as: Record<string, SignedIn>; body: string }> {
  const t = await createTestApp({}, {}, 'demo');
  const as: Record<string, SignedIn> = {};
  for (const name of names) as[name] = await signIn(t.server, name);
  const [{ id: body }] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
  );
  return { t, as, body };
}

/** MY's membership of the body ends today (`as` holds the platform admin). */
export async function myLeavesTheBody(as: Record<string, SignedIn>, body: string): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  await as[PLATFORM_ADMIN_USERNAME]!.put(`/frameworks/${body}/members/MY`, {
    joinedOn: '2026-07-01',
    leftOn: today,
  }).expect(200);
}
