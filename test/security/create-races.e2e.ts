import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import {
  aBankAccount,
  aFreezeDraft,
  aWallet,
  koreaMalaysiaFramework,
  TRON_USDT_WALLET,
} from '../asset-freezes/asset-freeze-scenario';
import { eventsSince, highestNumber, lastAuditId, raceCounter, run, sequenceNumbers } from './race-support';

/**
 * Issue 10, suite 5: concurrent creates and approves. Case references stay distinct and contiguous per
 * country and year even when some of the concurrent creates are refused; request references, given at
 * approve, stay distinct and contiguous per origin–target pair, kind and year even when some concurrent
 * approves are refused or lose to another; drafts take no number. Of concurrent freeze requests naming
 * one account exactly one is created. Every numbered record has exactly one audit event naming its
 * reference (cases: the creation, requests: the approve); refused calls leave none.
 */
describe('Races on creation and approval: reference sequences and duplicate freeze targets', () => {
  let t: TestApp;
  let tf: TaskForce;
  let freezeFramework: string;
  const races = raceCounter('create races');
  const year = new Date().getUTCFullYear();
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    freezeFramework = await koreaMalaysiaFramework(t);
  });
  afterAll(async () => {
    races.report();
    await t?.close();
  });

  type Res = { status: number; body: any };
  /** Interleaves refused calls among accepted ones, so they overlap in time. */
  const interleave = <T>(accepted: T[], refused: T[]) =>
    accepted.flatMap((a, i) => (i % 3 === 0 && refused[i / 3] ? [a, refused[i / 3]!] : [a]));

  /** The references of `created` are exactly the next `created.length` numbers after `before`. */
  async function expectContiguous(
    created: Res[],
    prefix: string,
    before: number,
    action: string,
    since: string,
  ) {
    const references = created.map((r) => r.body.reference as string);
    expect(new Set(references).size).toBe(created.length);
    expect(sequenceNumbers(references, prefix)).toEqual(run(before + 1, created.length));
    // One creation event per created record, naming its reference; none for the refused calls.
    const events = await eventsSince(t.dataSource, action, since);
    expect(events.map((e) => `${e.recordId} ${e.reference}`).sort()).toEqual(
      created.map((r) => `${r.body.id} ${r.body.reference}`).sort(),
    );
  }

  it('case references: concurrent creates by one country, some refused, get distinct contiguous numbers', async () => {
    const khOfficer = await tf.userId('kh.officer');
    const khPerson = (
      await tf['kh.officer']
        .post('/persons', { names: [{ full: 'SOK Dara', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id as string;
    const prefix = `KR-CASE-${year}-`;
    for (let round = 0; round < 2; round++) {
      const before = await highestNumber(t.dataSource, 'case_file', prefix);
      const since = await lastAuditId(t.dataSource);
      const openedOn = `${year}-02-01`;
      const accepted = Array.from({ length: 16 }, (_, i) =>
        tf[i % 2 ? 'kr.officer2' : 'kr.officer'].post('/cases', { title: `Raid ${round}.${i}`, openedOn }),
      );
      const refused = [
        ...Array.from({ length: 3 }, () =>
          tf['kr.officer'].post('/cases', { title: 'Led by KH', openedOn, leadOfficerId: khOfficer }),
        ),
        ...Array.from({ length: 3 }, () =>
          tf['kr.officer2'].post('/cases', {
            title: 'Naming an unseen person',
            openedOn,
            persons: [{ personId: khPerson, role: 'suspect' }],
          }),
        ),
      ];
      const answers = await races.burst(interleave(accepted, refused));
      const created = answers.filter((r) => r.status === 201);
      expect(answers.map((r) => r.status).sort()).toEqual(
        [...Array(16).fill(201), ...Array(6).fill(400)].sort(),
      );
      await expectContiguous(created, prefix, before, 'case.create', since);
      // The next create after the burst takes the very next number: nothing was used up by a refusal.
      const next = await tf['kr.officer'].post('/cases', { title: 'After the burst', openedOn }).expect(201);
      expect(next.body.reference).toBe(`${prefix}${String(before + 17).padStart(6, '0')}`);
    }
  });

  it('case references: a create held up mid-transaction does not hold up another create of its country; numbers follow commit order', async () => {
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'KIM Held', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id as string;
    const prefix = `KR-CASE-${year}-`;
    const openedOn = `${year}-03-01`;
    const before = await highestNumber(t.dataSource, 'case_file', prefix);
    // Another session keeps case_person from being written: a create linking a person stops there,
    // inside its transaction, after its row and before its numbering.
    const gate = t.dataSource.createQueryRunner();
    await gate.connect();
    await gate.startTransaction();
    try {
      await gate.query('LOCK TABLE case_person IN SHARE MODE');
      const held = Promise.resolve(
        tf['kr.officer'].post('/cases', {
          title: 'Held up',
          openedOn,
          persons: [{ personId: person, role: 'suspect' }],
        }),
      );
      const waiting = async () =>
        (
          await t.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO case_person%'`,
          )
        )[0].n as number;
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await waiting()).toBe(1);
      // With the number drawn at the start of the create, this one would wait for the held one's end.
      const free = await tf['kr.officer2'].post('/cases', { title: 'Not held', openedOn }).timeout(10_000);
      expect(free.status).toBe(201);
      expect(free.body.reference).toBe(`${prefix}${String(before + 1).padStart(6, '0')}`);
      await gate.commitTransaction();
      const heldUp = await held;
      expect(heldUp.status).toBe(201);
      expect(heldUp.body.reference).toBe(`${prefix}${String(before + 2).padStart(6, '0')}`);
    } finally {
      if (gate.isTransactionActive) await gate.rollbackTransaction();
      await gate.release();
    }
  });

  it('information-request references: concurrent approves, some refused or losing, get distinct contiguous numbers per origin–target pair; concurrent drafts take none', async () => {
    const framework = tf.cambodiaKoreaFramework;
    type Submitted = { id: string; version: number };
    const submitted = async (target: 'KH' | 'MY', subject: string, by: 'kr.officer' | 'kr.officer2') => {
      const draft = (
        await tf[by]
          .post(
            '/information-requests',
            aDraft(target === 'KH' ? framework : freezeFramework, { targetCountry: target, subject }),
          )
          .expect(201)
      ).body as Submitted;
      return (
        await tf[by].post(`/information-requests/${draft.id}/submit`, { version: draft.version }).expect(200)
      ).body as Submitted;
    };
    const approve = (who: 'kr.liaison' | 'kr.liaison2', r: Submitted, version = r.version) =>
      tf[who].post(`/information-requests/${r.id}/approve`, { version });
    const toKh = `KR-KH-INF-${year}-`;
    const toMy = `KR-MY-INF-${year}-`;
    for (let round = 0; round < 2; round++) {
      const beforeKh = await highestNumber(t.dataSource, 'cross_border_request', toKh);
      const beforeMy = await highestNumber(t.dataSource, 'cross_border_request', toMy);
      const officer = (i: number) => (i % 2 ? 'kr.officer2' : 'kr.officer') as 'kr.officer' | 'kr.officer2';
      const khRequests: Submitted[] = [];
      for (let i = 0; i < 16; i++) khRequests.push(await submitted('KH', `Race ${round}.${i}`, officer(i)));
      const myRequests: Submitted[] = [];
      for (let i = 0; i < 4; i++) myRequests.push(await submitted('MY', `Race MY ${round}.${i}`, officer(i)));
      const stale: Submitted[] = [];
      for (let i = 0; i < 3; i++) stale.push(await submitted('KH', `Stale ${round}.${i}`, officer(i)));
      const since = await lastAuditId(t.dataSource);
      const liaison = (i: number) => (i % 2 ? 'kr.liaison2' : 'kr.liaison') as 'kr.liaison' | 'kr.liaison2';
      const accepted = [
        ...khRequests.map((r, i) => approve(liaison(i), r)),
        ...myRequests.map((r, i) => approve(liaison(i), r)),
      ];
      const refused = [
        // A second approve of a request already being approved: one of the two wins, the other gets 409.
        ...khRequests.slice(0, 3).map((r, i) => approve(liaison(i + 1), r)),
        // A version the request no longer has: 409, and it stays unsent.
        ...stale.map((r, i) => approve(liaison(i), r, r.version - 1)),
      ];
      // Drafts created in the same burst take no number.
      const drafts = Array.from({ length: 4 }, (_, i) =>
        tf[officer(i)].post('/information-requests', aDraft(framework, { subject: `Draft ${round}.${i}` })),
      );
      const answers = await races.burst([...interleave(accepted, refused), ...drafts]);
      const approved = answers.filter((r) => r.status === 200);
      expect(answers.map((r) => r.status).sort()).toEqual(
        [...Array(20).fill(200), ...Array(6).fill(409), ...Array(4).fill(201)].sort(),
      );
      for (const d of answers.filter((r) => r.status === 201)) {
        expect(d.body).toMatchObject({ status: 'draft', reference: null });
        expect(d.body.draftId).toBe(`DRAFT-${(d.body.id as string).slice(0, 8).toUpperCase()}`);
      }
      const sentTo = (target: string) => approved.filter((r) => r.body.targetCountry === target);
      expect(new Set(approved.map((r) => r.body.id)).size).toBe(20);
      // Each pair's series is contiguous on its own; refused and losing approves used no number.
      expect(
        sequenceNumbers(
          sentTo('KH').map((r) => r.body.reference),
          toKh,
        ),
      ).toEqual(run(beforeKh + 1, 16));
      expect(
        sequenceNumbers(
          sentTo('MY').map((r) => r.body.reference),
          toMy,
        ),
      ).toEqual(run(beforeMy + 1, 4));
      // One approve event per sent request, naming the reference it gave; none for the refused calls.
      const events = await eventsSince(t.dataSource, 'request.approve', since);
      expect(events.map((e) => `${e.recordId} ${e.reference}`).sort()).toEqual(
        approved.map((r) => `${r.body.id} ${r.body.reference}`).sort(),
      );
      // The stale ones are still unsent and unnumbered; approving one now takes the very next number.
      for (const r of stale) {
        const now = (await tf['kr.officer'].get(`/information-requests/${r.id}`).expect(200)).body;
        expect(now).toMatchObject({ status: 'submitted', reference: null });
      }
      const next = await approve('kr.liaison', stale[0]!).expect(200);
      expect(next.body.reference).toBe(`${toKh}${String(beforeKh + 17).padStart(6, '0')}`);
    }
  });

  it.each([
    {
      what: 'one bank account',
      // Written differently each time; the same account to the duplicate check.
      same: (i: number) =>
        aBankAccount({
          institutionCode: i % 2 ? 'mbbemykl' : 'MBBEMYKL',
          accountNumber: i % 2 ? '5140 7777 0001' : '5140-7777-0001',
        }),
      other: (i: number) => aBankAccount({ accountNumber: `5140-8888-${String(i).padStart(4, '0')}` }),
    },
    {
      what: 'one crypto wallet',
      same: () => aWallet({ chain: 'tron', address: TRON_USDT_WALLET }),
      other: (i: number) =>
        aWallet({
          chain: 'ethereum',
          address: `0x${String(i + 1).padStart(40, '0')}`,
          amountSought: { amount: '2', currency: 'ETH' },
        }),
    },
  ])(
    'two freezes of $what: of 8 concurrent requests naming it one is created, 7 get 409 naming its draft id; drafts take no number',
    async ({ same, other }) => {
      const prefix = `KR-MY-AFR-${year}-`;
      const before = await highestNumber(t.dataSource, 'cross_border_request', prefix);
      const since = await lastAuditId(t.dataSource);
      const officers = ['kr.officer', 'kr.officer2'] as const;
      const contested = Array.from({ length: 8 }, (_, i) =>
        tf[officers[i % 2]!].post('/asset-freeze-requests', aFreezeDraft(freezeFramework, [same(i)])),
      );
      // Requests for other accounts in the same burst: their references must not skip the refused ones.
      const unrelated = Array.from({ length: 6 }, (_, i) =>
        tf[officers[i % 2]!].post('/asset-freeze-requests', aFreezeDraft(freezeFramework, [other(i)])),
      );
      const answers = await races.burst([...contested, ...unrelated]);
      const contestedAnswers = answers.slice(0, 8);
      const winners = contestedAnswers.filter((r) => r.status === 201);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!.body;
      for (const loser of contestedAnswers.filter((r) => r.status !== 201)) {
        expect(loser.status).toBe(409);
        // The winner is a draft: named by its draft id, it has no reference yet.
        expect(loser.body).toMatchObject({
          type: 'urn:case-desk:problem:duplicate-freeze-target',
          existingRequestId: winner.id,
          existingReference: null,
          existingDraftId: winner.draftId,
        });
        expect(loser.body.detail).toContain(winner.draftId);
      }
      expect(answers.slice(8).map((r) => r.status)).toEqual(Array(6).fill(201));
      const created = answers.filter((r) => r.status === 201);
      // Drafts take no number: no reference, distinct draft ids, and nothing drawn from the counter.
      expect(created.map((r) => r.body.reference)).toEqual(Array(created.length).fill(null));
      expect(new Set(created.map((r) => r.body.draftId)).size).toBe(created.length);
      expect(await highestNumber(t.dataSource, 'cross_border_request', prefix)).toBe(before);
      // One creation event per created request, naming its draft id; none for the refused calls.
      const createEvents: Array<{ recordId: string; draftId: string }> = await t.dataSource.query(
        `SELECT record_id AS "recordId", changes -> 'after' ->> 'draftId' AS "draftId"
           FROM audit_event WHERE id > $1 AND action = 'request.create' AND outcome = 'success'`,
        [since],
      );
      expect(createEvents.map((e) => `${e.recordId} ${e.draftId}`).sort()).toEqual(
        created.map((r) => `${r.body.id} ${r.body.draftId}`).sort(),
      );
      // The kind-specific creation event too: one per created request, none for the refused ones.
      const targetEvents = await eventsSince(t.dataSource, 'asset_freeze.targets.add', since);
      expect(targetEvents.map((e) => e.recordId).sort()).toEqual(created.map((r) => r.body.id).sort());
      // And in the database one target row holds the account, on the winner.
      const holders = await t.dataSource.query(
        `SELECT request_id FROM asset_freeze_target
          WHERE target_key = (SELECT target_key FROM asset_freeze_target WHERE request_id = $1)`,
        [winner.id],
      );
      expect(holders).toEqual([{ request_id: winner.id }]);
    },
  );
});
