import { randomUUID } from 'node:crypto';
import { aBankAccount, aFreezeDraft, koreaMalaysiaFramework } from '../asset-freezes/asset-freeze-scenario';
import { khCaseSharedWithKr, RELEASE_REFUSED, send } from '../sharing/support';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r40, guards (they pass on main): a draft edit is the new way to put something on a request after
 * its creation's checks — tried as an officer who wants to pass on what a partner gave under AMBER.
 * KR holds a person of KH's (with a bank account) through a case KH shared with KR under AMBER; MY is
 * a third country. The edit is weighed as the create is: for every thread of a dispatch, for every way a
 * freeze's targets name a person or carry its number, and a case of another country named in a
 * repatriation's edit reads as an id that never existed.
 */
describe('Probe r40: draft edits that would pass a partner’s AMBER data on', () => {
  let t: TestApp;
  let tf: TaskForce;
  let body: string;
  let krMy: string;
  let received: string;
  const account = '7740-2040-0001';
  beforeAll(async () => {
    // The whole demo: the multilateral body joins KR, KH and MY.
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: '' }, 'demo');
    tf = await taskForce(t);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    krMy = await koreaMalaysiaFramework(t);
    ({ personId: received } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'CHEA Onward', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        accounts: [{ type: 'bank_account', institutionName: 'ABA Bank', accountNumber: account }],
      },
      'KH case shared with KR under AMBER',
    ));
  });
  afterAll(() => t?.close());

  const problem = (res: { status: number; body: Record<string, unknown> }) => ({
    status: res.status,
    type: res.body.type,
  });
  const version = async (path: string, id: string) =>
    (await tf['kr.officer'].get(`${path}/${id}`).expect(200)).body.version as number;

  it('GUARD: a dispatch to KH and MY edited to name KH’s AMBER person: refused for MY (409), so neither thread changes; sent, MY reads nothing of it', async () => {
    const path = '/information-requests';
    const drafted = (
      await tf['kr.officer']
        .post(path, aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'], subject: 'Who runs the compound?' }))
        .expect(201)
    ).body as { id: string; version: number; recipients: Array<{ country: string; requestId: string }> };
    const toMy = drafted.recipients.find((r) => r.country === 'MY')!.requestId;
    const before = [await version(path, drafted.id), await version(path, toMy)];

    // Through either thread: back to KH is allowed, on to MY is not; one refusal refuses all.
    for (const id of [drafted.id, toMy]) {
      const res = await tf['kr.officer'].patch(`${path}/${id}`, {
        version: await version(path, id),
        personIds: [received],
      });
      expect(problem(res)).toEqual({ status: 409, type: RELEASE_REFUSED });
    }
    expect([await version(path, drafted.id), await version(path, toMy)]).toEqual(before);
    // The account number of that person written into the questions: the same.
    const res = await tf['kr.officer'].patch(`${path}/${toMy}`, {
      version: before[1],
      questions: [`Who holds ${account}?`],
    });
    expect(problem(res)).toEqual({ status: 409, type: RELEASE_REFUSED });

    const sent = await send(tf['kr.officer'], tf['kr.liaison'], path, {
      id: drafted.id,
      version: before[0]!,
    });
    expect(sent.id).toBe(drafted.id);
    await tf['my.liaison'].get(`/persons/${received}`).expect(404);
    const mine = (await tf['my.liaison'].get(`${path}/${toMy}`).expect(200)).body;
    expect(JSON.stringify(mine)).not.toContain(received);
    expect(JSON.stringify(mine)).not.toContain(account);
  });

  it('GUARD: a freeze to MY edited to name KH’s AMBER person (holder or victim) or to freeze its account: 409, the draft unchanged', async () => {
    const path = '/asset-freeze-requests';
    const drafted = (
      await tf['kr.officer']
        .post(path, aFreezeDraft(krMy, [aBankAccount({ accountNumber: '7740-2040-0100' })]))
        .expect(201)
    ).body as { id: string; version: number; targets: Array<{ id: string; accountNumber: string }> };
    const edits = {
      holder: [aBankAccount({ accountNumber: '7740-2040-0100', personId: received })],
      victim: [
        aBankAccount({
          accountNumber: '7740-2040-0100',
          grounds: {
            summary: 'Her savings',
            victimLosses: [{ personId: received, loss: { amount: '10', currency: 'MYR' } }],
          },
        }),
      ],
      account: [aBankAccount({ accountNumber: '7740-2040-0100' }), aBankAccount({ accountNumber: account })],
      'account in holderName': [
        aBankAccount({ accountNumber: '7740-2040-0100', holderName: `Nominee ${account}` }),
      ],
    };
    const wrong: string[] = [];
    for (const [what, targets] of Object.entries(edits)) {
      const res = await tf['kr.officer'].patch(`${path}/${drafted.id}`, {
        version: drafted.version,
        targets,
      });
      if (res.status !== 409 || res.body.type !== RELEASE_REFUSED) wrong.push(`${what} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
    const now = (await tf['kr.officer'].get(`${path}/${drafted.id}`).expect(200)).body;
    expect({ version: now.version, targets: now.targets.map((x: { id: string }) => x.id) }).toEqual({
      version: drafted.version,
      targets: drafted.targets.map((x) => x.id),
    });
  });

  it('GUARD: a repatriation draft moved to another country’s case reads exactly as one moved to a case that never existed', async () => {
    const path = '/repatriation-requests';
    const arrestId = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon airport',
          grounds: 'Online fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'KH',
          person: { names: [{ full: 'SOK Homeward', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id as string;
    const drafted = (
      await tf['kr.officer']
        .post(path, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Send him home',
          arrestIds: [arrestId],
        })
        .expect(201)
    ).body as { id: string; version: number };
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'KH only r40' }).expect(201)).body
      .id as string;
    const unknown = randomUUID();
    const shape = (res: { status: number; body: Record<string, unknown> }, id: string) => {
      const { instance: _i, requestId: _r, ...rest } = res.body;
      return JSON.parse(
        JSON.stringify({ status: res.status, ...rest })
          .split(id)
          .join('<id>'),
      ) as unknown;
    };
    const theirs = await tf['kr.officer'].patch(`${path}/${drafted.id}`, {
      version: drafted.version,
      caseId: khCase,
    });
    const none = await tf['kr.officer'].patch(`${path}/${drafted.id}`, {
      version: drafted.version,
      caseId: unknown,
    });
    expect(theirs.status).toBe(400);
    expect(shape(theirs, khCase)).toEqual(shape(none, unknown));
    expect(await version(path, drafted.id)).toBe(drafted.version);
  });
});
