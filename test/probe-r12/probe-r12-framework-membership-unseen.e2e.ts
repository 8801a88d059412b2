import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 12): a change of who cooperates with a country is in no country's audit trail. The
 * platform administrator makes Malaysia a member of the Cambodia–Korea Joint Task Force
 * (`PUT /frameworks/:id/members/MY`), then suspends the framework (`PATCH /frameworks/:id { active: false }`).
 * Both change who may read what: from the join on, KR and KH may send MY requests, shares and
 * identifier checks under it, and MY's may reach them; the suspension stops all of it between KR and KH.
 * The events are written (`framework.membership`, `framework.update`) in the same transaction, but
 * src/reference-data/reference-data.service.ts `setMembership` / `updateFramework` record them with no
 * `ownerCountry` (and, for the membership, `counterpartCountry` the joining country on a record type
 * `auditEventScope` never opens to a counterpart), and the actor is the platform administrator, of no
 * country: `GET /audit-events?recordType=framework&recordId=…` answers nothing to MY's, KR's or KH's
 * auditors, so no country's auditor can read when or by whom its cooperation changed.
 * Fix: record these events for the member countries concerned (one event per member country with
 * `ownerCountry` that country, as `identifier_check.settings.change` is owned by its country), or let
 * src/access/scopes.ts `auditEventScope` open a `framework` event to the countries that are members.
 */
describe('Probe r12: a framework membership or suspension by the platform administrator is in no member country’s trail', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  const actionsSeenBy = async (auditor: SignedIn) =>
    (
      await auditor
        .get(`/audit-events?recordType=framework&recordId=${tf.cambodiaKoreaFramework}&limit=200`)
        .expect(200)
    ).body.items.map((e: { action: string }) => e.action) as string[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    const today = new Date().toISOString().slice(0, 10);
    await admin.put(`/frameworks/${tf.cambodiaKoreaFramework}/members/MY`, { joinedOn: today }).expect(200);
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  it("Malaysia's auditor reads that Malaysia joined the framework", async () => {
    expect(await actionsSeenBy(tf['my.auditor'])).toContain('framework.membership');
  });

  it("Korea's auditor reads that a country joined its framework, and that the framework was suspended", async () => {
    expect(await actionsSeenBy(tf['kr.auditor'])).toEqual(
      expect.arrayContaining(['framework.membership', 'framework.update']),
    );
  });

  it("Cambodia's auditor reads the suspension of its framework", async () => {
    expect(await actionsSeenBy(tf['kh.auditor'])).toContain('framework.update');
  });

  it("Thailand, not and never a member of the framework, reads none of its changes", async () => {
    expect(await actionsSeenBy(await signIn(t.server, 'th.auditor'))).toEqual([]);
  });
});
