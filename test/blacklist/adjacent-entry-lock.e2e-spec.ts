import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId } from '../sharing/support';
import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { RescreeningService } from '../../src/screening/rescreening.service';

/**
 * The owner's edit of a person share-locked every active blacklist entry of that person, even one whose
 * banning and proposing countries no framework joins any more — an entry the edit never amends (that
 * country keeps the identity it banned). The lock made the two countries wait on each other: the
 * banning country's decision on the entry (which locks it for update) held the owner's edit, and the
 * owner's edit held the decision, each side's latency telling it the other was at work on that person.
 * An entry the edit may not amend is no longer locked. While the countries cooperate, the edit used to
 * take the lock itself (the amendment must not interleave with a decision) and so still waited on a
 * decision under way: now it only queues the person, and a background job proposes the amendment after
 * the edit commits, waiting on the decision itself.
 */
describe('An owner’s edit takes no lock on blacklist entries', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('MY edits its person while KR, no longer cooperating, holds the entry: the edit does not wait', async () => {
    const person = {
      names: [{ full: 'TAN Locked', script: 'latin', kind: 'primary' }],
      nationalities: ['MY'],
    };
    const { entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person,
      grounds: 'Recruiter for a compound',
      groundsSummary: 'Recruiter',
    });
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [entryId],
    );
    const admin = await signIn(t.server, 'platform.admin');
    const krMy = await frameworkId(t, 'Korea–Malaysia');
    await admin.patch(`/frameworks/${krMy}`, { active: false }).expect(200);
    const decision = t.dataSource.createQueryRunner();
    await decision.connect();
    try {
      // What a decision on the entry holds while it runs (`acceptAmendment` locks it for update).
      await decision.startTransaction();
      await decision.query(`SELECT 1 FROM blacklist_entry WHERE id = $1 FOR UPDATE`, [entryId]);
      const current = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
      const edit = tf['my.officer']
        .patch(`/persons/${personId}`, { ...person, notes: 'seen in Johor', version: current.version })
        .then((r) => r.status);
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000));
      const outcome = await Promise.race([edit, waited]);
      await decision.rollbackTransaction();
      expect({ outcome, after: await edit }).toEqual({ outcome: 200, after: 200 });
    } finally {
      if (decision.isTransactionActive) await decision.rollbackTransaction();
      await decision.release();
      await admin.patch(`/frameworks/${krMy}`, { active: true }).expect(200);
    }
  });

  it('while the countries cooperate, the edit does not wait either; the amendment is proposed once KR’s decision ends', async () => {
    const person = {
      names: [{ full: 'TAN Cooperating', script: 'latin', kind: 'primary' }],
      nationalities: ['MY'],
    };
    const { entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person,
      grounds: 'Recruiter for a compound',
      groundsSummary: 'Recruiter',
    });
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [entryId],
    );
    await t.app.get(BlacklistAmendmentsService).runPending(); // what earlier edits queued
    const decision = t.dataSource.createQueryRunner();
    await decision.connect();
    try {
      await decision.startTransaction();
      await decision.query(`SELECT 1 FROM blacklist_entry WHERE id = $1 FOR UPDATE`, [entryId]);
      const current = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
      const renamed = [{ full: 'TAN Cooperating Wei', script: 'latin', kind: 'primary' }];
      const edit = tf['my.officer']
        .patch(`/persons/${personId}`, { ...person, names: renamed, version: current.version })
        .then((r) => r.status);
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000));
      expect(await Promise.race([edit, waited])).toBe(200);
      // The job proposing the amendment is what waits on KR's decision.
      const job = t.app.get(BlacklistAmendmentsService).runPending();
      await decision.rollbackTransaction();
      expect(await job).toBe(1);
      const amendments = (await tf['kr.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200))
        .body;
      expect(amendments).toMatchObject([{ status: 'pending', changedFields: ['names'] }]);
      expect(amendments[0].names.map((n: { full: string }) => n.full)).toEqual(['TAN Cooperating Wei']);
    } finally {
      if (decision.isTransactionActive) await decision.rollbackTransaction();
      await decision.release();
    }
  });

  it('MY edits its person while KR is activating the entry: the edit does not wait, and the amendment follows', async () => {
    const [{ id: koreaMalaysia }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
    const person = {
      names: [{ full: 'TAN Activating', script: 'latin', kind: 'primary' }],
      nationalities: ['MY'],
    };
    const proposal = (
      await tf['my.officer']
        .post('/blacklist-entries', {
          frameworkId: koreaMalaysia,
          banningCountry: 'KR',
          entry: { person, grounds: 'Recruiter for a compound', groundsSummary: 'Recruiter' },
        })
        .expect(201)
    ).body;
    let version = proposal.version;
    for (const [who, action] of [
      [tf['my.officer'], 'submit'],
      [tf['my.liaison'], 'approve'],
      [tf['kr.liaison'], 'accept'],
    ] as const)
      version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200))
        .body.version;
    const entryId = proposal.entries[0].id as string;
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM blacklist_entry WHERE id = $1`,
      [entryId],
    );
    await t.app.get(BlacklistAmendmentsService).runPending(); // what earlier edits queued

    // KR's activation is held inside its transaction, after it copied the person's identity.
    const rescreening = t.app.get(RescreeningService);
    const queue = rescreening.queue.bind(rescreening);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const inside = new Promise<void>((resolve) => (reached = resolve));
    const spy = jest.spyOn(rescreening, 'queue').mockImplementationOnce(async (...args) => {
      reached();
      await held;
      return queue(...args);
    });
    try {
      const activation = tf['kr.liaison']
        .post(`/blacklist-entries/${entryId}/activate`, {
          version: 1,
          legalBasis: 'Immigration Act s. 11',
          expiresOn: '2031-12-31',
        })
        .then((r) => r.status);
      await inside;
      const current = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
      const renamed = [{ full: 'TAN Activating Wei', script: 'latin', kind: 'primary' }];
      const edit = tf['my.officer']
        .patch(`/persons/${personId}`, { ...person, names: renamed, version: current.version })
        .then((r) => r.status);
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000));
      const outcome = await Promise.race([edit, waited]);
      release();
      expect({ outcome, activation: await activation }).toEqual({ outcome: 200, activation: 200 });
    } finally {
      release();
      spy.mockRestore();
    }
    // The activation copied the identity from before the edit; the job proposes the edit to KR.
    expect(await t.app.get(BlacklistAmendmentsService).runPending()).toBe(1);
    const amendments = (await tf['kr.liaison'].get(`/blacklist-entries/${entryId}/amendments`).expect(200))
      .body;
    expect(amendments).toMatchObject([{ status: 'pending', changedFields: ['names'] }]);
  });
});
