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
 * Issue 10, suite 5: concurrent creates. References stay distinct and contiguous per country, kind and
 * year even when some of the concurrent creates are refused (some of them after a reference was drawn),
 * and of concurrent freeze requests naming one account exactly one is created. Every created record has
 * exactly one creation audit event naming its reference; refused creates leave none.
 */
describe('Races on creation: reference sequences and duplicate freeze targets', () => {
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

  it('information-request references: concurrent drafts by one country, some refused, get distinct contiguous numbers', async () => {
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'KH raid' }).expect(201)).body
      .id as string;
    const framework = tf.cambodiaKoreaFramework;
    const prefix = `KR-INF-${year}-`;
    for (let round = 0; round < 2; round++) {
      const before = await highestNumber(t.dataSource, 'cross_border_request', prefix);
      const since = await lastAuditId(t.dataSource);
      const accepted = Array.from({ length: 16 }, (_, i) =>
        tf[i % 2 ? 'kr.officer2' : 'kr.officer'].post(
          '/information-requests',
          aDraft(framework, { subject: `Race ${round}.${i}` }),
        ),
      );
      const refused = [
        // Malaysia is not in the Cambodia–Korea framework.
        ...Array.from({ length: 3 }, () =>
          tf['kr.officer'].post('/information-requests', aDraft(framework, { targetCountry: 'MY' })),
        ),
        ...Array.from({ length: 3 }, () =>
          tf['kr.officer2'].post('/information-requests', aDraft(framework, { caseId: khCase })),
        ),
      ];
      const answers = await races.burst(interleave(accepted, refused));
      const created = answers.filter((r) => r.status === 201);
      expect(answers.map((r) => r.status).sort()).toEqual(
        [...Array(16).fill(201), ...Array(6).fill(400)].sort(),
      );
      await expectContiguous(created, prefix, before, 'request.create', since);
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
    'two freezes of $what: of 8 concurrent requests naming it one is created, 7 get 409; references stay contiguous',
    async ({ same, other }) => {
      const prefix = `KR-AFR-${year}-`;
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
        expect(loser.body).toMatchObject({
          type: 'urn:case-desk:problem:duplicate-freeze-target',
          existingRequestId: winner.id,
          existingReference: winner.reference,
        });
      }
      expect(answers.slice(8).map((r) => r.status)).toEqual(Array(6).fill(201));
      const created = answers.filter((r) => r.status === 201);
      await expectContiguous(created, prefix, before, 'request.create', since);
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
