import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { login } from '../support/http';

/**
 * Probe race: a user signs out while their client refreshes its tokens. Logout ends the session: "its
 * refresh tokens and access tokens stop working". When the refresh wins the race it answers 200 with a
 * new refresh token that logout's `revokeFamily` (an UPDATE of the family's unrevoked tokens, which does
 * not see the row the concurrent rotation is inserting) leaves unrevoked, and `SessionsService.rotate`
 * (src/users/sessions.service.ts) looks only at the presented token's own row, never at its family. That
 * token then keeps rotating after the logout: 200s, each with an `auth.refresh` success audit event, for
 * a session that has ended (its access tokens answer 401).
 */
describe('Logout and refresh at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const refresh = (refreshToken: string) =>
    request(t.server).post('/api/v1/auth/refresh').send({ refreshToken });

  it('once the logout has answered, no refresh token of the session works any more', async () => {
    const revived: string[] = [];
    for (let round = 0; round < 30; round++) {
      const tokens = await login(t.server, 'kr.officer');
      const [out, raced] = await Promise.all([
        request(t.server).post('/api/v1/auth/logout').set('Authorization', `Bearer ${tokens.accessToken}`),
        refresh(tokens.refreshToken),
      ]);
      expect(out.status).toBe(204);
      expect([200, 401]).toContain(raced.status);
      if (raced.status !== 200) continue;
      // The refresh won the race: its token belongs to the ended session.
      const later = await refresh(raced.body.refreshToken);
      if (later.status !== 401) revived.push(`round ${round}: refresh after logout answered ${later.status}`);
    }
    expect(revived).toEqual([]);
  });
});
