import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { RescreeningService } from '../../src/screening/rescreening.service';
import {
  activatedByKorea,
  entryMalaysiaAskedKoreaToBan,
  entryMalaysiaProposedToKorea,
} from '../support/blacklist-scenario';
import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId } from '../sharing/support';

/**
 * An owner's edit of a person must not wait on what another country is doing with that person's
 * blacklist entry: its latency would tell the owner that the banning country is at work on it (and the
 * owner may be a third country that does not know of the entry at all). It used to: the edit
 * share-locked the entries it amended, so a banning country's decision under way (which locks the
 * entry for update) held it, and an activation share-locked the person, holding the edit. Now the edit
 * only queues the person, and a background job proposes the amendments after it commits, waiting on
 * decisions and activations itself.
 */
describe('An owner’s edit waits on nothing a banning country does with the entry', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const grounds = { grounds: 'Recruiter for a compound', groundsSummary: 'Recruiter' };
  const personNamed = (full: string) => ({
    names: [{ full, script: 'latin', kind: 'primary' }],
    nationalities: ['MY'],
  });
  const proposeAmendments = () => t.app.get(BlacklistAmendmentsService).runPending();

  /** MY renames its person; resolves 'waited' if the edit takes longer than three seconds. */
  async function renamedWithin3s(personId: string, full: string) {
    const current = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    const edit = tf['my.officer']
      .patch(`/persons/${personId}`, { ...personNamed(full), version: current.version })
      .then((r) => r.status);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise((resolve) => (timer = setTimeout(() => resolve('waited'), 3_000)));
    try {
      return { outcome: await Promise.race([edit, waited]), edit };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `during` while a transaction holds the entry for update, as a decision on it does. */
  async function whileDecisionHolds<T>(entryId: string, during: () => Promise<T>): Promise<T> {
    const decision = t.dataSource.createQueryRunner();
    await decision.connect();
    try {
      await decision.startTransaction();
      await decision.query(`SELECT 1 FROM blacklist_entry WHERE id = $1 FOR UPDATE`, [entryId]);
      return await during();
    } finally {
      if (decision.isTransactionActive) await decision.rollbackTransaction();
      await decision.release();
    }
  }

  /** KR's pending amendments of the entry: the names each proposes. */
  const proposedNames = async (entryId: string) =>
    (
      await tf['kr.liaison'].get(`/blacklist-entries/${entryId}/amendments?status=pending`).expect(200)
    ).body.map((a: { names: Array<{ full: string }> }) => a.names.map((n) => n.full));

  it('MY edits its person while KR, no longer cooperating, holds the entry: the edit does not wait', async () => {
    const { entryId, personId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: personNamed('TAN Locked'),
      ...grounds,
    });
    const admin = await signIn(t.server, 'platform.admin');
    const krMy = await frameworkId(t, 'Korea–Malaysia');
    await admin.patch(`/frameworks/${krMy}`, { active: false }).expect(200);
    try {
      const { outcome, edit } = await whileDecisionHolds(entryId, () =>
        renamedWithin3s(personId, 'TAN Locked Wei'),
      );
      expect({ outcome, after: await edit }).toEqual({ outcome: 200, after: 200 });
      await proposeAmendments();
    } finally {
      await admin.patch(`/frameworks/${krMy}`, { active: true }).expect(200);
    }
    expect(await proposedNames(entryId)).toEqual([]); // KR keeps the identity it banned
  });

  it('while the countries cooperate, the edit does not wait either; the amendment is proposed once KR’s decision ends', async () => {
    const { entryId, personId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: personNamed('TAN Cooperating'),
      ...grounds,
    });
    await proposeAmendments(); // what earlier edits queued
    const { job } = await whileDecisionHolds(entryId, async () => {
      expect((await renamedWithin3s(personId, 'TAN Cooperating Wei')).outcome).toBe(200);
      // The job proposing the amendment is what waits on KR's decision (until the rollback).
      return { job: proposeAmendments() };
    });
    expect(await job).toBe(1);
    expect(await proposedNames(entryId)).toEqual([['TAN Cooperating Wei']]);
  });

  it('MY edits its person while KR is activating the entry: the edit does not wait, and the amendment follows', async () => {
    const { entryId, personId } = await entryMalaysiaProposedToKorea(t, tf, {
      person: personNamed('TAN Activating'),
      ...grounds,
    });
    await proposeAmendments(); // what earlier edits queued
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
      const activation = activatedByKorea(tf, entryId).then((r) => r.status);
      await inside;
      const { outcome } = await renamedWithin3s(personId, 'TAN Activating Wei');
      release();
      expect({ outcome, activation: await activation }).toEqual({ outcome: 200, activation: 200 });
    } finally {
      release();
      spy.mockRestore();
    }
    // The activation copied the identity from before the edit; the job proposes the edit to KR.
    expect(await proposeAmendments()).toBe(1);
    expect(await proposedNames(entryId)).toEqual([['TAN Activating Wei']]);
  });
});
