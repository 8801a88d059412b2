import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  aBankAccount,
  anAcceptedRequest,
  koreaMalaysiaFramework,
} from '../asset-freezes/asset-freeze-scenario';
import { entryMalaysiaAskedKoreaToBan, khPersonKrProposedToMy } from '../support/blacklist-scenario';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r34 (held): a route that names two records — a parent in the path and a child in the path or
 * the body (`/asset-freeze-requests/:id/targets/:targetId/…`, `/screenings/:id/candidates/:candidateId/…`,
 * `/users/:id/role-changes/:changeId/approve`, `confirm-handover`'s `arrestIds`) — answers a child that
 * belongs to a record the caller may not see exactly as a child id that never existed, and so does a
 * child of another record the caller does see. probe-not-found-bodies puts a hidden record in the first
 * path parameter and a random id in every other one, so the mixed pairs (a visible parent with a hidden
 * child, a hidden parent with a visible child) were never asked.
 */

/** What a caller can compare between two answers: everything but the ids it sent and the request's own. */
function answerOf(res: Response, ids: string[]): { status: number; body: unknown } {
  const { instance: _instance, requestId: _requestId, ...body } = (res.body ?? {}) as Record<string, unknown>;
  let text = JSON.stringify(body);
  for (const id of ids) text = text.split(id).join('<id>');
  return { status: res.status, body: JSON.parse(text) };
}

const SECOND_ADMIN_PASSWORD = 'a long password for the second admin';

/**
 * The refusals of `ids` the caller's country's auditor reads, with the id, times, hashes and request ids
 * left out: a refusal of a hidden record must read as the refusal of an id that never existed.
 */
async function refusalsOf(auditor: SignedIn, id: string): Promise<unknown[]> {
  const page = (await auditor.get(`/audit-events?action=access.denied&recordId=${id}`).expect(200)).body;
  const volatile = new Set(['id', 'at', 'occurredAt', 'requestId', 'seal', 'hash', 'prevHash', 'recordId']);
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !volatile.has(k))
              .map(([k, x]) => [k, strip(x)]),
          )
        : typeof v === 'string'
          ? v.split(id).join('<id>')
          : v;
  return (page.items as unknown[]).map(strip);
}

describe('Probe r34: a child id of a record the caller may not see answers as one that never existed', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krScreener: SignedIn;
  let myScreener: SignedIn;
  let krAdmin: SignedIn;
  let krAdmin2: SignedIn;
  let myAdmin: SignedIn;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    [krScreener, myScreener, krAdmin, myAdmin] = await Promise.all(
      ['kr.screener', 'my.screener', 'kr.admin', 'my.admin'].map((u) => signIn(t.server, u)),
    );
    // A second KR admin, to approve what the first asked (the platform's first admins start active).
    const [{ id: krAgency }] = await t.dataSource.query(`SELECT id FROM agency WHERE country_code = 'KR'`);
    await (
      await signIn(t.server, 'platform.admin')
    )
      .post('/users', {
        username: 'kr.admin2',
        displayName: 'Second KR admin',
        agencyId: krAgency,
        roles: ['admin'],
        password: SECOND_ADMIN_PASSWORD,
      })
      .expect(201);
    krAdmin2 = await signIn(t.server, 'kr.admin2', SECOND_ADMIN_PASSWORD);
  }, 120_000);
  afterAll(() => t?.close());

  it('freeze targets: MY executing a KR request names a target of KR’s request to KH as it names none', async () => {
    const krMy = await koreaMalaysiaFramework(t);
    const mine = await anAcceptedRequest(tf, krMy, [aBankAccount({ accountNumber: '3401-0001' })]);
    const other = await anAcceptedRequest(tf, krMy, [aBankAccount({ accountNumber: '3401-0002' })]);
    // KR's request to KH, accepted there: MY never reads it or its targets.
    const hidden = await givenIn(tf)
      .aRequest('asset_freeze')
      .from('KR')
      .sentTo('KH')
      .with({
        targets: [
          aBankAccount({ accountNumber: '3401-0003', amountSought: { amount: '5', currency: 'USD' } }),
        ],
      })
      .accepted();
    const hiddenTarget = (await tf['kr.officer'].get(`/asset-freeze-requests/${hidden.id}`).expect(200)).body
      .targets[0].id as string;
    const mineTarget = mine.targets[0].id as string;
    const otherTarget = other.targets[0].id as string;
    const step = (requestId: string, targetId: string) =>
      tf['my.officer'].post(`/asset-freeze-requests/${requestId}/targets/${targetId}/freeze`, {
        version: mine.version,
        outcome: 'not_found',
      });
    const ids = [hidden.id, hiddenTarget, mine.id, mineTarget, otherTarget];
    const neverTarget = randomUUID();
    const neverParent = randomUUID();
    const none = answerOf(await step(mine.id, neverTarget), [...ids, neverTarget]);
    expect(none).toMatchObject({ status: 404 });
    // A visible request with a hidden request's target, or with another visible request's target.
    expect(answerOf(await step(mine.id, hiddenTarget), ids)).toEqual(none);
    expect(answerOf(await step(mine.id, otherTarget), ids)).toEqual(none);
    // A hidden request with a target the caller reads, as an unknown request with it.
    const unknownParent = answerOf(await step(neverParent, mineTarget), [...ids, neverParent]);
    expect(answerOf(await step(hidden.id, mineTarget), ids)).toEqual(unknownParent);
    // MY's auditor reads MY's refusals of the hidden ones as those of the unknown ones.
    const myAuditor = tf['my.auditor'];
    expect(await refusalsOf(myAuditor, hiddenTarget)).toEqual(await refusalsOf(myAuditor, neverTarget));
    const refusedParent = await refusalsOf(myAuditor, neverParent);
    expect(refusedParent.length).toBeGreaterThan(0);
    expect(await refusalsOf(myAuditor, hidden.id)).toEqual(refusedParent);
    // Nothing was recorded on any of them.
    for (const [who, id] of [
      [tf['my.officer'], mine.id],
      [tf['my.officer'], other.id],
      [tf['kr.officer'], hidden.id],
    ] as const) {
      const view = (await who.get(`/asset-freeze-requests/${id}`).expect(200)).body;
      expect(view.targets[0].outcome).toBeNull();
    }
  });

  it('screening candidates: KR’s screener names MY’s screening candidate as it names none', async () => {
    await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: {
        names: [{ full: 'TAN Wei Ming', family: 'Tan', given: 'Wei Ming', script: 'latin', kind: 'primary' }],
        birthDate: '1990-01-15',
        nationalities: ['MY'],
        documents: [{ type: 'passport', number: 'A34001234', issuingCountry: 'MY' }],
      },
      grounds: 'Recruiter for a KL compound.',
      groundsSummary: 'Recruiter',
    });
    await khPersonKrProposedToMy(
      t,
      tf,
      {
        names: [{ full: 'HENG Sokha', family: 'Heng', given: 'Sokha', script: 'latin', kind: 'primary' }],
        birthDate: '1988-06-02',
        nationalities: ['KH'],
      },
      { activate: true },
    );
    const screen = async (who: SignedIn, full: string, birthDate: string) => {
      const s = (
        await who.post('/screenings', { checkpoint: 'Gate 3', names: [{ full }], birthDate }).expect(201)
      ).body;
      expect(s.candidates.length).toBeGreaterThan(0);
      return { screeningId: s.id as string, candidateId: s.candidates[0].id as string };
    };
    const kr = await screen(krScreener, 'TAN Wei Ming', '1990-01-15');
    const my = await screen(myScreener, 'HENG Sokha', '1988-06-02');
    const decide = (screeningId: string, candidateId: string) =>
      krScreener.post(`/screenings/${screeningId}/candidates/${candidateId}/decision`, {
        decision: 'confirmed',
      });
    const ids = [kr.screeningId, kr.candidateId, my.screeningId, my.candidateId];
    const never = randomUUID();
    const neverCandidate = randomUUID();
    const none = answerOf(await decide(kr.screeningId, neverCandidate), [...ids, neverCandidate]);
    expect(none).toMatchObject({ status: 404 });
    expect(answerOf(await decide(kr.screeningId, my.candidateId), ids)).toEqual(none);
    const unknownParent = answerOf(await decide(never, kr.candidateId), [...ids, never]);
    expect(answerOf(await decide(my.screeningId, kr.candidateId), ids)).toEqual(unknownParent);
    expect(answerOf(await decide(my.screeningId, my.candidateId), ids)).toEqual(
      answerOf(await decide(never, randomUUID()), [...ids, never]),
    );
    // KR's auditor reads KR's refusals of MY's screening and candidate as those of unknown ids: a refused
    // decision is audited on the screening it named (twice each: with KR's candidate and with another).
    const refusedNever = await refusalsOf(tf['kr.auditor'], never);
    expect(refusedNever).toHaveLength(2);
    expect(await refusalsOf(tf['kr.auditor'], my.screeningId)).toEqual(refusedNever);
    expect(await refusalsOf(tf['kr.auditor'], my.candidateId)).toEqual(
      await refusalsOf(tf['kr.auditor'], neverCandidate),
    );
    // MY's candidate is still undecided, as MY's screener reads it.
    const mine = (await myScreener.get(`/screenings/${my.screeningId}`).expect(200)).body;
    expect(mine.candidates[0]).toMatchObject({ id: my.candidateId, decision: null });
  });

  it('role changes: KR’s admin approving MY’s pending change through a KR account answers as for none', async () => {
    const userOf = async (admin: SignedIn, username: string) => {
      const page = (await admin.get(`/users?limit=200`).expect(200)).body;
      return page.items.find((u: { username: string }) => u.username === username) as {
        id: string;
        version: number;
      };
    };
    const myScreenerUser = await userOf(myAdmin, 'my.screener');
    const myChange = (
      await myAdmin
        .post(`/users/${myScreenerUser.id}/role-changes`, {
          roles: ['screener', 'auditor'],
          version: myScreenerUser.version,
        })
        .expect(201)
    ).body.id as string;
    const krScreenerUser = await userOf(krAdmin, 'kr.screener');
    const krOfficer2 = await userOf(krAdmin, 'kr.officer2');
    const krChange = (
      await krAdmin
        .post(`/users/${krScreenerUser.id}/role-changes`, {
          roles: ['screener', 'auditor'],
          version: krScreenerUser.version,
        })
        .expect(201)
    ).body.id as string;
    const approve = (userId: string, changeId: string) =>
      krAdmin2.post(`/users/${userId}/role-changes/${changeId}/approve`);
    const ids = [myScreenerUser.id, myChange, krScreenerUser.id, krOfficer2.id, krChange];
    const never = randomUUID();
    const none = answerOf(await approve(krOfficer2.id, never), [...ids, never]);
    expect(none).toMatchObject({ status: 404 });
    expect(answerOf(await approve(krOfficer2.id, myChange), ids)).toEqual(none);
    // KR's own change under another KR account: the same answer too.
    expect(answerOf(await approve(krOfficer2.id, krChange), ids)).toEqual(none);
    // MY's account with its own change, as an unknown account.
    expect(answerOf(await approve(myScreenerUser.id, myChange), ids)).toEqual(
      answerOf(await approve(never, randomUUID()), [...ids, never]),
    );
    const changes = (await myAdmin.get(`/users/${myScreenerUser.id}/role-changes`).expect(200)).body;
    expect(changes.find((c: { id: string }) => c.id === myChange)).toMatchObject({ status: 'pending' });
  });

  it('confirm-handover: KR names KH’s arrests it never read as it names arrests that never existed', async () => {
    const arrest = async (name: string) =>
      (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-02T02:30:00Z',
            place: 'Sihanoukville',
            grounds: 'Online fraud',
            arrestingAgency: 'Cambodian National Police',
            nationality: 'KR',
            person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
          })
          .expect(201)
      ).body.id as string;
    const onRequest = await arrest('KIM R34 Sent');
    const internal = await arrest('KIM R34 Internal');
    const onDraft = await arrest('KIM R34 Drafted');
    const given = givenIn(tf);
    const request = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [onRequest], subject: 'Repatriation R34' })
      .accepted();
    await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [onDraft], subject: 'Repatriation R34 draft' })
      .drafted();
    const handedOver = (
      await tf['kh.officer']
        .post(`/repatriation-requests/${request.id}/handover`, {
          version: request.version,
          handovers: [
            {
              arrestId: onRequest,
              handedOverBy: 'Lt. Sok',
              receivedBy: 'Insp. Park',
              handedOverAt: '2026-03-21T05:00:00Z',
              place: 'PNH',
            },
          ],
        })
        .expect(200)
    ).body;
    const confirm = (arrestIds: string[]) =>
      tf['kr.liaison'].post(`/repatriation-requests/${request.id}/confirm-handover`, {
        version: handedOver.version,
        arrestIds,
      });
    const ids = [request.id, onRequest, internal, onDraft];
    const never = randomUUID();
    for (const mix of [(id: string) => [id], (id: string) => [onRequest, id]]) {
      const none = answerOf(await confirm(mix(never)), [...ids, never]);
      expect(none.status).toBeGreaterThanOrEqual(400);
      expect(none.status).toBeLessThan(500);
      expect(answerOf(await confirm(mix(internal)), ids)).toEqual(none);
      expect(answerOf(await confirm(mix(onDraft)), ids)).toEqual(none);
    }
    const view = (await tf['kr.liaison'].get(`/repatriation-requests/${request.id}`).expect(200)).body;
    expect(view.version).toBe(handedOver.version);
  });
});
