import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { givenIn } from '../support/given';
import { signIn, type SignedIn } from '../support/http';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { download, upload } from '../attachments/attachment-support';
import { account, narrowRoles, widenRoles } from './r23-support';

/**
 * Probe r23: a token issued before its user was disabled, lost a role or changed password, on every
 * route family — reads, lists, files, bundles, stats, seen-in, hit/no-hit, inbox — and an
 * `Idempotency-Key` answered before, replayed after. Disabled and re-passworded: 401 everywhere, the
 * replay too. A role taken away: 403 on what the remaining role may not do, the replay of a create it
 * may no longer make too. A new token of the same user after a password change replays its own answer.
 */
describe('A token issued before the user lost access, on every route family', () => {
  let t: TestApp;
  let tf: TaskForce;
  let caseId: string;
  let fileId: string;
  let requestId: string;
  const KEY = 'r23-replay-key-1';
  const created = { title: 'Created with a key (r23)' };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const krCase = (await tf['kr.officer'].post('/cases', { title: 'Shared with KH (r23)' }).expect(201))
      .body;
    caseId = krCase.id;
    fileId = (
      await upload(
        t,
        tf['kr.officer'],
        `/cases/${caseId}/attachments`,
        Buffer.from('plain evidence text'),
        'e.txt',
      ).expect(201)
    ).body.id;
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KH' }).expect(201);
    requestId = (await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').sent()).id;
  });
  afterAll(() => t?.close());

  /** Every family of reads a KH officer makes, with what it answers while access holds. */
  const reads = (): Array<[string, (who: SignedIn) => Promise<{ status: number }>]> => [
    ['me', (w) => w.get('/auth/me')],
    ['case', (w) => w.get(`/cases/${caseId}`)],
    ['cases', (w) => w.get('/cases')],
    ['case files', (w) => w.get(`/cases/${caseId}/attachments`)],
    ['file content (a range)', (w) => download(t, w, fileId, { Range: 'bytes=0-3' })],
    ['bundle', (w) => w.get(`/cases/${caseId}/bundle`)],
    ['request', (w) => w.get(`/information-requests/${requestId}`)],
    ['requests', (w) => w.get('/information-requests')],
    ['request history', (w) => w.get(`/information-requests/${requestId}/history`)],
    ['persons', (w) => w.get('/persons?name=KIM')],
    ['arrests', (w) => w.get('/arrests')],
    ['blacklist', (w) => w.get('/blacklist-entries')],
    ['stats', (w) => w.get('/stats')],
    ['seen-in', (w) => w.get('/identifiers/seen-in?kind=phone&value=%2B85512345678')],
    ['hit/no-hit checks', (w) => w.get('/identifier-checks')],
    ['inbox', (w) => w.get('/notifications')],
    ['assignable officers', (w) => w.get('/assignable-officers')],
  ];
  const keyed = (w: SignedIn) => w.post('/cases', created).set('Idempotency-Key', KEY);

  async function statuses(who: SignedIn): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, read] of reads()) out[name] = (await read(who)).status;
    out['keyed create'] = (await keyed(who)).status;
    return out;
  }
  const all = (status: number) =>
    Object.fromEntries([...reads().map(([n]) => n), 'keyed create'].map((n) => [n, status]));

  async function keyedOnce(who: SignedIn) {
    const first = await keyed(who).expect(201);
    const again = await keyed(who).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    return first.body;
  }

  it('disabled by the admin: 401 on every route, the replay included', async () => {
    const kh = tf['kh.officer'];
    const before = await statuses(kh);
    expect(Object.values(before).filter((s) => s >= 400)).toEqual([]);
    await keyedOnce(kh);
    const { id } = await account(t, 'kh.officer');
    await (await signIn(t.server, 'kh.admin')).post(`/users/${id}/disable`).expect(200);
    expect(await statuses(kh)).toEqual(all(401));
    await kh.post('/auth/refresh', { refreshToken: kh.tokens.refreshToken }).expect(401);
  });

  it('own password changed: the old token gets 401 everywhere; a new token replays its own answer', async () => {
    const kh = tf['kh.officer2'];
    const first = await keyedOnce(kh);
    const newPassword = 'another long passphrase for r23';
    await kh.post('/auth/password', { currentPassword: TEST_DEMO_PASSWORD, newPassword }).expect(204);
    expect(await statuses(kh)).toEqual(all(401));
    const again = await signIn(t.server, 'kh.officer2', newPassword);
    const replay = await keyed(again).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.id);
  });

  it('password reset by the admin (awaiting a second admin): 401 everywhere', async () => {
    const kh = tf['kh.liaison2'];
    expect((await kh.get(`/cases/${caseId}`)).status).toBe(200);
    const { id } = await account(t, 'kh.liaison2');
    await (
      await signIn(t.server, 'kh.admin')
    )
      .post(`/users/${id}/reset-password`, { newPassword: 'a password the admin knows r23' })
      .expect(204);
    const after = await statuses(kh);
    expect(after).toEqual(all(401));
  });

  it('officer role taken away (screener left): 403 on every case-content route and on the replay', async () => {
    // KR's second officer: the case and the request are its country's own, read in full while an officer.
    await widenRoles(t, 'kr.officer2', ['officer', 'screener']);
    const kr = tf['kr.officer2'];
    await keyedOnce(kr);
    await narrowRoles(t, 'kr.officer2', ['screener']);
    const after = await statuses(kr);
    const allowed = ['me', 'inbox'];
    for (const [name, status] of Object.entries(after))
      expect([name, status]).toEqual([name, allowed.includes(name) ? 200 : 403]);
    // What the remaining role may do still works.
    await kr.post('/screenings', { names: [{ full: 'NOBODY AT ALL' }], checkpoint: 'ICN T1' }).expect(201);
  });
});
