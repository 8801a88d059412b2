import request from 'supertest';
import type { Server } from 'node:http';
import { TEST_DEMO_PASSWORD } from './demo-password';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export async function login(
  server: Server | string,
  username: string,
  password = TEST_DEMO_PASSWORD,
): Promise<Tokens> {
  const res = await request(server).post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200)
    throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Tokens;
}

/**
 * A signed-in demo user: `const kh = await signIn(server, 'kh.admin'); await kh.get('/users')`. `server`
 * may also be the base URL of a server running as a process of its own.
 */
export async function signIn(server: Server | string, username: string, password?: string) {
  const tokens = await login(server, username, password);
  const auth = { Authorization: `Bearer ${tokens.accessToken}` };
  const path = (p: string) => (p.startsWith('/api') ? p : `/api/v1${p}`);
  return {
    username,
    tokens,
    get: (p: string) => request(server).get(path(p)).set(auth),
    post: (p: string, body?: object) =>
      request(server)
        .post(path(p))
        .set(auth)
        .send(body ?? {}),
    patch: (p: string, body?: object) =>
      request(server)
        .patch(path(p))
        .set(auth)
        .send(body ?? {}),
    put: (p: string, body?: object) =>
      request(server)
        .put(path(p))
        .set(auth)
        .send(body ?? {}),
    delete: (p: string, body?: object) => {
      const req = request(server).delete(path(p)).set(auth);
      return body ? req.send(body) : req;
    },
  };
}

export type SignedIn = Awaited<ReturnType<typeof signIn>>;
