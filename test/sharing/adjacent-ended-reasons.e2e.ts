import { entryMalaysiaAskedKoreaToBan } from '../support/blacklist-scenario';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, RELEASE_REFUSED } from './support';

/**
 * After a framework ends, a request open under it may still be rejected and a ban still lifted — but a
 * reason naming a number (a court file, a decision number) was refused `no-active-framework`, whatever
 * the number was: the liaison could not say why in the words it has. The release rule now weighs such
 * a number by its provenance: the country's own, or going back where it came from, goes with the step;
 * one received from a third country needs a framework (and under AMBER+STRICT never leaves).
 */
describe('A step still allowed after a framework ends may name the country’s own numbers', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  const strictPhone = '+60177001234';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    // MY gives KR a phone under AMBER+STRICT: it stays in KR.
    await givenIn(tf)
      .anInformationRequest()
      .from('MY')
      .sentTo('KR')
      .handledAs('AMBER+STRICT')
      .with({ identifiers: { phones: [strictPhone] } })
      .sent();
  }, 120_000);
  afterAll(() => t?.close());

  const setActive = (framework: string, active: boolean) =>
    admin.patch(`/frameworks/${framework}`, { active }).expect(200);

  it('KR rejects KH’s request after the Cambodia–Korea framework ended, citing its own court file; MY’s strict phone stays', async () => {
    const sent = await givenIn(tf).anInformationRequest().from('KH').sentTo('KR').sent();
    await setActive(tf.cambodiaKoreaFramework, false);
    try {
      const strict = await tf['kr.liaison'].post(`/information-requests/${sent.id}/reject`, {
        version: sent.version,
        reason: `The subscriber of ${strictPhone} is not ours to discuss`,
      });
      expect({ status: strict.status, type: strict.body.type, rules: strict.body.rules }).toEqual({
        status: 409,
        type: RELEASE_REFUSED,
        rules: ['AMBER+STRICT'],
      });

      const reason = 'Closed by Seoul court file 2026-447781';
      const own = await tf['kr.liaison'].post(`/information-requests/${sent.id}/reject`, {
        version: sent.version,
        reason,
      });
      expect({ status: own.status, type: own.body.type ?? null }).toEqual({ status: 200, type: null });
      const asKhReads = (await tf['kh.officer'].get(`/information-requests/${sent.id}`).expect(200)).body;
      expect(asKhReads).toMatchObject({ status: 'rejected', rejectionReason: reason });
    } finally {
      await setActive(tf.cambodiaKoreaFramework, true);
    }
  });

  it('KR lifts a ban MY asked for after the Korea–Malaysia MOU ended, citing its decision number', async () => {
    const { entryId } = await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: { names: [{ full: 'TAN Lifted', script: 'latin', kind: 'primary' }], nationalities: ['MY'] },
      grounds: 'Recruiter for a compound',
      groundsSummary: 'Recruiter',
    });
    const krMy = await frameworkId(t, 'Korea–Malaysia');
    await setActive(krMy, false);
    try {
      const entry = (await tf['kr.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
      const reason = 'Lifted by Ministry decision 2026-55310';
      const lifted = await tf['kr.liaison'].post(`/blacklist-entries/${entryId}/lift`, {
        version: entry.version,
        reason,
      });
      expect({ status: lifted.status, type: lifted.body.type ?? null }).toEqual({ status: 200, type: null });
      const asMyReads = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
      expect(asMyReads).toMatchObject({ status: 'lifted', decisionReason: reason });
    } finally {
      await setActive(krMy, true);
    }
  });
});
