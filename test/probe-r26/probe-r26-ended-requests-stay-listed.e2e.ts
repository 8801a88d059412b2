import { aBankAccount } from '../asset-freezes/asset-freeze-scenario';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r26: the premise of the catalogue's `edits` rows for ended requests (probe-r26-visibility-
 * catalogue). A withdrawn or rejected information request, asset freeze or blacklist proposal, and a
 * lifted blacklist entry, take nothing out of the other country's sight: it keeps listing them (with
 * the new status) on the primary, so a standby showing the old status for the lag is an edit seen late,
 * not a record shown after it was taken away. (A repatriation request is the exception, and is marked:
 * the arrests it opened leave the person's country.)
 */
describe('Probe r26: ended requests and lifted entries stay listed for the other country', () => {
  let t: TestApp;
  let tf: TaskForce;
  const listed: Record<string, { status?: string } | undefined> = {};

  const step = async (who: SignedIn, base: string, id: string, action: string, body: object = {}) => {
    const { version } = (await who.get(`${base}/${id}`).expect(200)).body;
    return (await who.post(`${base}/${id}/${action}`, { version, ...body }).expect(200)).body;
  };
  const find = async (who: SignedIn, path: string, id: string) =>
    (
      (await who.get(`${path}?limit=200`).expect(200)).body.items as Array<{ id: string; status?: string }>
    ).find((item) => item.id === id);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    const personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Withdrawn', script: 'latin', kind: 'primary' }],
          birthDate: '1990',
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id;

    // Information: KH withdraws one it sent KR; KR rejects another.
    const withdrawn = await given.anInformationRequest().from('KH').sentTo('KR').about(personId).sent();
    await step(tf['kh.liaison'], '/information-requests', withdrawn.id, 'withdraw');
    listed.informationWithdrawn = await find(tf['kr.officer'], '/information-requests', withdrawn.id);
    listed.personOfWithdrawn = await find(tf['kr.officer'], '/persons', personId);
    const rejected = await given.anInformationRequest().from('KH').sentTo('KR').rejected();
    listed.informationRejected = await find(tf['kr.officer'], '/information-requests', rejected.id);

    // Asset freeze: KR withdraws one it sent KH; KH rejects another.
    const freeze = (account: string) =>
      given
        .aRequest('asset_freeze')
        .from('KR')
        .sentTo('KH')
        .with({ subject: `Freeze ${account}`, targets: [aBankAccount({ accountNumber: account })] });
    const freezeWithdrawn = await freeze('5140-2601-0001').sent();
    await step(tf['kr.liaison'], '/asset-freeze-requests', freezeWithdrawn.id, 'withdraw');
    listed.freezeWithdrawn = await find(tf['kh.officer'], '/asset-freeze-requests', freezeWithdrawn.id);
    const freezeRejected = await freeze('5140-2601-0002').rejected();
    listed.freezeRejected = await find(tf['kh.officer'], '/asset-freeze-requests', freezeRejected.id);

    // Blacklist: KR proposes a person to MY twice; withdraws one proposal, MY activates and lifts the other.
    const krPerson = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KIM Lifted', script: 'latin', kind: 'primary' }],
          birthDate: '1985',
          nationalities: ['KR'],
        })
        .expect(201)
    ).body.id;
    const frameworkId = await tf.frameworkBetween('KR', 'MY');
    const propose = async (subject: string) => {
      const proposal = (
        await tf['kr.officer']
          .post('/blacklist-entries', {
            frameworkId,
            banningCountry: 'MY',
            handlingCode: 'AMBER',
            subject,
            entry: { personId: krPerson, grounds: 'Recruiter for a compound.', groundsSummary: 'Recruiter' },
          })
          .expect(201)
      ).body;
      await step(tf['kr.officer'], '/blacklist-proposals', proposal.id, 'submit');
      await step(tf['kr.liaison'], '/blacklist-proposals', proposal.id, 'approve');
      return { id: proposal.id as string, entryId: proposal.entries[0].id as string };
    };
    const withdrawnProposal = await propose('Ban him (withdrawn)');
    await step(tf['kr.liaison'], '/blacklist-proposals', withdrawnProposal.id, 'withdraw');
    listed.proposalWithdrawn = await find(tf['my.liaison'], '/blacklist-proposals', withdrawnProposal.id);
    listed.entryOfWithdrawn = await find(tf['my.liaison'], '/blacklist-entries', withdrawnProposal.entryId);
    const lifted = await propose('Ban him (lifted)');
    await step(tf['my.liaison'], '/blacklist-proposals', lifted.id, 'accept');
    await step(tf['my.liaison'], '/blacklist-entries', lifted.entryId, 'activate', {
      legalBasis: 'Immigration Act s. 9',
      expiresOn: '2031-12-31',
    });
    await step(tf['my.liaison'], '/blacklist-entries', lifted.entryId, 'lift', {
      reason: 'Cleared by court',
    });
    listed.liftedForProposer = await find(tf['kr.officer'], '/blacklist-entries', lifted.entryId);
    listed.liftedForBanner = await find(tf['my.liaison'], '/blacklist-entries', lifted.entryId);
  }, 120_000);
  afterAll(() => t?.close());

  it('KR keeps listing an information request KH withdrew, and its person; and one it rejected', () => {
    expect(listed.informationWithdrawn?.status).toBe('withdrawn');
    expect(listed.personOfWithdrawn).toBeDefined();
    expect(listed.informationRejected?.status).toBe('rejected');
  });

  it('KH keeps listing a freeze KR withdrew, and one it rejected', () => {
    expect(listed.freezeWithdrawn?.status).toBe('withdrawn');
    expect(listed.freezeRejected?.status).toBe('rejected');
  });

  it('MY keeps listing a withdrawn proposal and its entry; both countries list a lifted entry as lifted', () => {
    expect(listed.proposalWithdrawn?.status).toBe('withdrawn');
    expect(listed.entryOfWithdrawn).toBeDefined();
    expect(listed.liftedForProposer?.status).toBe('lifted');
    expect(listed.liftedForBanner?.status).toBe('lifted');
  });
});
