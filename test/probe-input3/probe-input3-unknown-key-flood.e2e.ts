import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { login } from '../support/http';

/**
 * Probe (input round 3): a JSON object with very many member names is refused only after
 * class-transformer has turned it into a DTO, and `plainToInstance` is quadratic in the number of names:
 * `TransformOperationExecutor.getKeys` (node_modules/class-transformer) de-duplicates them with
 * `keys.filter((key, i, self) => self.indexOf(key) === i)`. The InputGuard (src/common/http/input-guard.ts)
 * bounds depth and characters but not width, and `whitelist`/`forbidNonWhitelisted`
 * (src/common/http/validation.ts) refuse the unknown names only once the transform is done. Measured
 * here (event loop held): 15,000 names 0.24 s, 30,000 0.8 s, 60,000 2.3 s, 100,000 6 s; a 16 MB
 * `POST /arrests/batch` of 1.4 million names had not been answered after 10 minutes.
 *
 * The worst part needs no account: `POST /auth/login` and `/auth/refresh` are public and their bodies
 * go through the same pipe, so one anonymous 850 KB body `{"0":0,"1":0,…}` (100,000 names, inside the
 * 1 MB limit) holds every caller of the server for ~6 s, before any sign-in limit counts it; a client
 * sending one every few seconds keeps the server unavailable. The case below uses the one route whose
 * body limit (16 MB) lets a single request show it: 400,000 names (4.5 MB) on `POST /arrests/batch`.
 *
 * Reproduce: `POST /api/v1/auth/login` (or, signed in as an officer, `/api/v1/arrests/batch`) with
 * `Content-Type: application/json` and a body of 100,000 (400,000) distinct names
 * `{"0":0,"1":0,…}`; `/api/health` does not answer until it is refused.
 *
 * Expected: such a body is the 400 problem (validation-failed) it already gets, refused before
 * class-transformer sees it, so that it is answered like any other bad input and records nothing. No
 * timing bound is asserted: today the request holds the event loop for well over a minute and the case
 * fails on jest's ordinary test timeout, which is the hang the contract forbids.
 *
 * Suggested fix: bound the width of every object in `inputProblems` (src/common/http/input-guard.ts),
 * refusing an object with more members than any DTO of this API declares (a few hundred at most) with
 * one problem naming it, as depth is bounded there; or refuse names that are not properties of the
 * target DTO before `plainToInstance` runs (createValidationPipe, src/common/http/validation.ts).
 */
describe('Probe: a body object of 400,000 names is refused without holding the server', () => {
  let t: TestApp;
  let officer: string;
  // The request below, kept so the app is closed only once the server has answered it (today that is
  // long after the case itself has failed on its timeout).
  let flood: Promise<unknown> | undefined;
  beforeAll(async () => {
    t = await createTestApp();
    officer = (await login(t.server, 'kh.officer')).accessToken;
  });
  afterAll(async () => {
    await flood?.catch(() => undefined);
    await t?.close();
  }, 600_000);

  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  const wideBody = (names: number) => {
    const parts: string[] = [];
    for (let i = 0; i < names; i++) parts.push(`"${i.toString(36)}":0`);
    return `{${parts.join(',')}}`;
  };
  const send = (path: string, body: string, token?: string) => {
    const req = request(t.server).post(`/api/v1${path}`).set('Content-Type', 'application/json');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  const refusal = (res: request.Response) => ({
    status: res.status,
    type: res.body.type,
    problemJson: /^application\/problem\+json/.test(String(res.headers['content-type'])),
  });
  const refused = { status: 400, type: 'urn:case-desk:problem:validation-failed', problemJson: true };

  it('a few unknown names, anonymously on sign-in or on the batch: the 400 expected below', async () => {
    expect(refusal(await send('/auth/login', wideBody(3)))).toEqual(refused);
    expect(refusal(await send('/arrests/batch', wideBody(3), officer))).toEqual(refused);
  });

  it('POST /arrests/batch with 400,000 unknown names: a 400 problem, nothing recorded', async () => {
    const arrests = await count('arrest');
    const events = await count('audit_event');
    const sent = send('/arrests/batch', wideBody(400_000), officer);
    flood = sent;
    expect(refusal(await sent)).toEqual(refused);
    expect({ arrests: await count('arrest'), events: await count('audit_event') }).toEqual({
      arrests,
      events,
    });
  });
});
