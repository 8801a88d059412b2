import { upload } from '../attachments/attachment-support';
import { aBankAccount, aWallet } from '../asset-freezes/asset-freeze-scenario';
import { personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Each kind's own parts of a draft (`PATCH /<kind>/:id`): an asset freeze's case and targets, a
 * repatriation's case; what stays refused by name (a proposal's banning country, a release request's
 * recipient), and `edit` among a draft's `allowedActions` for exactly those whose PATCH succeeds. A
 * repatriation's arrests, a proposal's entries and a release request's persons and numbers:
 * draft-edit-contents.e2e.ts.
 */
describe('Editing a draft: each kind’s own parts', () => {
  let t: TestApp;
  let tf: TaskForce;
  let body: string;
  beforeAll(async () => {
    // The demo with its multilateral body: KH may ask MY about a number it read in KR's request.
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  });
  afterAll(() => t?.close());

  const FREEZES = '/asset-freeze-requests';
  type Target = { id: string; accountNumber: string | null; address: string | null; [f: string]: unknown };
  type View = {
    id: string;
    version: number;
    status: string;
    caseId: string | null;
    allowedActions: string[];
    targets: Target[];
    [field: string]: unknown;
  };
  let accounts = 0;
  /** An account number no other test of this file names. */
  const anAccount = () => `8811-2026-${String(++accounts).padStart(4, '0')}`;
  const aCase = async (who: SignedIn, title: string): Promise<string> =>
    (await who.post('/cases', { title }).expect(201)).body.id;
  const freezeDraft = async (targets: object[], overrides: object = {}): Promise<View> =>
    (
      await tf['kr.officer']
        .post(FREEZES, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Freeze the mule accounts of the Golden Fortune compound',
          targets,
          ...overrides,
        })
        .expect(201)
    ).body;
  const edit = (who: SignedIn, r: Pick<View, 'id' | 'version'>, changes: object, path = FREEZES) =>
    who.patch(`${path}/${r.id}`, { version: r.version, ...changes });
  const read = async (who: SignedIn, r: { id: string }, path = FREEZES): Promise<View> =>
    (await who.get(`${path}/${r.id}`).expect(200)).body;
  const step = async (who: SignedIn, r: View, action: string, path = FREEZES): Promise<View> =>
    (await who.post(`${path}/${r.id}/${action}`, { version: r.version }).expect(200)).body;
  const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) =>
    (res.body.errors ?? []).map((e) => e.field);
  /** KH asks MY about an account: refused when KH received it from KR (AMBER+STRICT stays with KH). */
  const khAsksMyAbout = (accountNumber: string) =>
    tf['kh.officer'].post('/information-requests', {
      frameworkId: body,
      targetCountry: 'MY',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: 'Who holds this account?',
      questions: ['Who holds it?'],
      identifiers: { bankAccounts: [{ institution: 'ABA Bank', accountNumber }] },
    });

  it('an asset freeze draft takes a new case and a new list of targets; sent, the target reads them', async () => {
    const [mistyped, kept, added] = [anAccount(), anAccount(), anAccount()];
    const [first, second] = [
      await aCase(tf['kr.officer'], 'Golden Fortune'),
      await aCase(tf['kr.officer'], 'Jade Palace'),
    ];
    const drafted = await freezeDraft(
      [aBankAccount({ accountNumber: mistyped }), aBankAccount({ accountNumber: kept })],
      { caseId: first, handlingCode: 'AMBER+STRICT' },
    );
    const keptId = drafted.targets[1]!.id;

    const res = await edit(tf['kr.officer'], drafted, {
      caseId: second,
      targets: [
        aBankAccount({ accountNumber: kept, amountSought: { amount: '2500', currency: 'MYR' } }),
        aBankAccount({ accountNumber: added }),
        aWallet(),
      ],
    }).expect(200);
    const edited: View = res.body;
    expect(edited).toMatchObject({ status: 'draft', version: drafted.version + 1, caseId: second });
    expect(edited.targets.map((x) => x.accountNumber ?? x.address)).toEqual([kept, added, aWallet().address]);
    // The account that stays is the same target (its id, and any file on it, stay with it).
    expect(edited.targets[0]).toMatchObject({
      id: keptId,
      amountSought: { amount: '2500', currency: 'MYR' },
    });
    expect(await read(tf['kr.officer'], drafted)).toMatchObject({ caseId: second, version: edited.version });

    // One history line, one audit event naming what changed, with the lists before and after.
    const history = (await tf['kr.officer'].get(`${FREEZES}/${drafted.id}/history`).expect(200)).body;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'edit']);
    const [event] = await t.dataSource.query(
      `SELECT details, changes FROM audit_event WHERE record_id = $1 AND action = 'request.draft_edited'`,
      [drafted.id],
    );
    expect(event.details.changed).toEqual(['caseId', 'targets']);
    expect(event.changes.before.targets.map((x: Target) => x.accountNumber)).toEqual([mistyped, kept]);
    expect(event.changes.after).toMatchObject({ caseId: second, version: edited.version });
    expect(event.changes.after.targets.map((x: Target) => x.id)).toEqual(edited.targets.map((x) => x.id));
    // The target taken off: its own timeline, oldest first, ends with the edit that took it off.
    const takenOff = (
      await tf['kr.auditor']
        .get(`/audit-events/timeline?recordType=asset_freeze_target&recordId=${drafted.targets[0]!.id}`)
        .expect(200)
    ).body;
    expect(takenOff.items.map((e: { action: string }) => e.action)).toEqual([
      'asset_freeze.targets.add',
      'request.draft_edited',
    ]);

    // The accounts on it are on an open request: another draft naming one is refused.
    const taken = await tf['kr.officer']
      .post(FREEZES, {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Again',
        targets: [aBankAccount({ accountNumber: added })],
      })
      .expect(409);
    expect(taken.body.type).toBe('urn:case-desk:problem:duplicate-freeze-target');

    // Sent, KH reads the targets as edited, and received the numbers it carries, not the one taken off:
    // KH may pass on the mistyped account as its own (it never received it), not the one added.
    await step(tf['kr.liaison'], await step(tf['kr.officer'], edited, 'submit'), 'approve');
    const inbound = await read(tf['kh.liaison'], drafted);
    expect(inbound.targets.map((x) => x.accountNumber ?? x.address)).toEqual([
      kept,
      added,
      aWallet().address,
    ]);
    expect(inbound.caseId).toBeNull(); // KR's case is KR's
    const refused = await khAsksMyAbout(added).expect(409);
    expect(refused.body.type).toBe(RELEASE_REFUSED);
    await khAsksMyAbout(mistyped).expect(201);
  });

  it('refuses a target twice in the list (400) and an account on another open request (409); nothing changes', async () => {
    const [one, two, busy] = [anAccount(), anAccount(), anAccount()];
    const drafted = await freezeDraft([aBankAccount({ accountNumber: one })]);
    await freezeDraft([aBankAccount({ accountNumber: busy })]);

    const twice = await edit(tf['kr.officer'], drafted, {
      targets: [aBankAccount({ accountNumber: two }), aBankAccount({ accountNumber: two.replace(/-/g, '') })],
    }).expect(400);
    expect(twice.body.errors).toEqual([
      { field: 'targets[1]', message: 'targets[1] is the same account or wallet as targets[0]' },
    ]);
    const onAnother = await edit(tf['kr.officer'], drafted, {
      targets: [aBankAccount({ accountNumber: two }), aBankAccount({ accountNumber: busy })],
    }).expect(409);
    expect(onAnother.body).toMatchObject({
      type: 'urn:case-desk:problem:duplicate-freeze-target',
      field: 'targets[1]',
    });
    // A case of another country, as on a create.
    const theirs = await aCase(tf['kh.officer'], 'KH operation');
    expect(fieldsOf(await edit(tf['kr.officer'], drafted, { caseId: theirs }).expect(400))).toEqual([
      'caseId',
    ]);
    const now = await read(tf['kr.officer'], drafted);
    expect(now).toMatchObject({ version: drafted.version, caseId: null });
    expect(now.targets.map((x) => x.accountNumber)).toEqual([one]);
    // A save of the same list changes nothing.
    const same = (
      await edit(tf['kr.officer'], drafted, { targets: [aBankAccount({ accountNumber: one })] }).expect(200)
    ).body;
    expect(same).toMatchObject({ version: drafted.version, updatedAt: drafted.updatedAt });
    // Taken off the draft, an account is free for another request at once.
    await edit(tf['kr.officer'], drafted, { targets: [aBankAccount({ accountNumber: two })] }).expect(200);
    await freezeDraft([aBankAccount({ accountNumber: one })]);
  });

  it('refuses to take off a target that has files (409); one that stays keeps them', async () => {
    const [filed, other] = [anAccount(), anAccount()];
    const drafted = await freezeDraft([aBankAccount({ accountNumber: filed })]);
    const targetId = drafted.targets[0]!.id;
    const files = `${FREEZES}/${drafted.id}/targets/${targetId}/attachments`;
    await upload(t, tf['kr.officer'], files, Buffer.from('The bank’s letter'), 'letter.txt').expect(201);

    const refused = await edit(tf['kr.officer'], drafted, {
      targets: [aBankAccount({ accountNumber: other })],
    }).expect(409);
    expect(refused.body).toMatchObject({
      type: 'urn:case-desk:problem:freeze-target-has-files',
      targetIds: [targetId],
    });
    expect(refused.body.detail).toMatch(/targets\[0\].*files attached/);
    const edited = (
      await edit(tf['kr.officer'], drafted, {
        targets: [aBankAccount({ accountNumber: other }), aBankAccount({ accountNumber: filed })],
      }).expect(200)
    ).body as View;
    expect(edited.targets[1]!.id).toBe(targetId);
    expect((await tf['kr.officer'].get(files).expect(200)).body.items).toHaveLength(1);
  });

  it('refuses bad targets and cases with 400 and a machine-readable body, never a 500', async () => {
    const drafted = await freezeDraft([aBankAccount({ accountNumber: anAccount() })]);
    const refused = async (changes: object) => {
      const res = await edit(tf['kr.officer'], drafted, changes).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return [...new Set(fieldsOf(res))];
    };
    expect(await refused({ targets: null })).toContain('targets');
    expect(await refused({ targets: 'all of them' })).toContain('targets');
    expect(await refused({ targets: [] })).toContain('targets');
    expect(await refused({ targets: [null] })).toEqual([expect.stringMatching(/^targets/)]);
    expect(await refused({ targets: [42] })).toEqual([expect.stringMatching(/^targets/)]);
    const many = Array.from({ length: 101 }, () => aBankAccount({ accountNumber: anAccount() }));
    expect(await refused({ targets: many })).toContain('targets');
    expect(
      await refused({
        targets: [aBankAccount({ holderName: 'TAN \u0000 Ah Kow', accountNumber: anAccount() })],
      }),
    ).toEqual(['targets[0].holderName']);
    expect(
      await refused({
        targets: [
          aBankAccount({ accountNumber: anAccount(), amountSought: { amount: 1000, currency: 'MYR' } }),
        ],
      }),
    ).toEqual(['targets[0].amountSought.amount']);
    expect(await refused({ targets: [aBankAccount({ accountNumber: anAccount(), chain: 'tron' })] })).toEqual(
      ['targets[0].chain'],
    );
    expect(
      await refused({
        targets: [
          aBankAccount({
            accountNumber: anAccount(),
            grounds: {
              summary: 'x',
              victimLosses: [
                { personId: '00000000-0000-4000-8000-000000000001', loss: { amount: '1', currency: 'MYR' } },
              ],
            },
          }),
        ],
      }),
    ).toEqual(['targets[0].grounds.victimLosses[0].personId']);
    expect(await refused({ caseId: null })).toEqual(['caseId']);
    expect(await refused({ caseId: 'not-a-uuid' })).toContain('caseId');
    expect((await read(tf['kr.officer'], drafted)).version).toBe(drafted.version);
  });

  it('lists edit for the origin’s officers on a draft only; the listed edit succeeds', async () => {
    const drafted = await freezeDraft([aBankAccount({ accountNumber: anAccount() })]);
    expect((await read(tf['kr.officer'], drafted)).allowedActions).toEqual(['submit', 'withdraw', 'edit']);
    expect((await read(tf['kr.officer2'], drafted)).allowedActions).toContain('edit');
    // The liaison approves what officers wrote, the auditor changes nothing: neither edits (403).
    expect((await read(tf['kr.liaison'], drafted)).allowedActions).not.toContain('edit');
    expect((await read(tf['kr.auditor'], drafted)).allowedActions).toEqual([]);
    await edit(tf['kr.liaison'], drafted, { priority: 'routine' }).expect(403);
    // The list says the same as the view.
    const listed = (await tf['kr.officer'].get(`${FREEZES}?limit=200`).expect(200)).body.items as View[];
    expect(listed.find((r) => r.id === drafted.id)!.allowedActions).toEqual(['submit', 'withdraw', 'edit']);
    // A step the draft's state does not allow names the edit among what is.
    const early = await tf['kr.officer']
      .post(`${FREEZES}/${drafted.id}/close`, { version: drafted.version })
      .expect(409);
    expect(early.body.allowedActions).toEqual(['submit', 'withdraw', 'edit']);
    const edited = (await edit(tf['kr.officer'], drafted, { priority: 'routine' }).expect(200)).body as View;
    expect(edited.allowedActions).toEqual(['submit', 'withdraw', 'edit']);

    // Past draft, nobody lists it, and the refused edit's 409 lists what may be done instead.
    const submitted = await step(tf['kr.officer'], edited, 'submit');
    expect(submitted.allowedActions).not.toContain('edit');
    const late = await edit(tf['kr.officer'], submitted, { priority: 'urgent' }).expect(409);
    expect(late.body.allowedActions).not.toContain('edit');
    expect((await read(tf['kr.liaison'], submitted)).allowedActions).toEqual([
      'approve',
      'return',
      'withdraw',
    ]);
    const sent = await step(tf['kr.liaison'], submitted, 'approve');
    expect((await read(tf['kh.liaison'], sent)).allowedActions).toEqual(['accept', 'reject']);
    expect((await read(tf['kh.officer'], sent)).allowedActions).not.toContain('edit');
    // Returned for changes, it is a draft again: editable again.
    const returnedDraft = await freezeDraft([aBankAccount({ accountNumber: anAccount() })]);
    const returned = await step(
      tf['kr.liaison'],
      await step(tf['kr.officer'], returnedDraft, 'submit'),
      'return',
    );
    expect(returned.allowedActions).not.toContain('edit'); // the liaison who returned it does not edit
    expect((await read(tf['kr.officer'], returned)).allowedActions).toContain('edit');
  });

  it('a repatriation draft takes a new case; what a draft is sent to stays refused by name', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: 'KANG Draft', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    const path = '/repatriation-requests';
    const repatriation = (
      await tf['kh.officer']
        .post(path, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Send KANG home',
          arrestIds: [arrest.id],
        })
        .expect(201)
    ).body as View;
    expect(repatriation.allowedActions).toContain('edit');
    const khCase = await aCase(tf['kh.officer'], 'Golden Fortune raid');
    const moved = (await edit(tf['kh.officer'], repatriation, { caseId: khCase }, path).expect(200)).body;
    expect(moved).toMatchObject({ caseId: khCase, version: repatriation.version + 1 });
    const krCase = await aCase(tf['kr.officer'], 'Not KH’s');
    expect(fieldsOf(await edit(tf['kh.officer'], moved, { caseId: krCase }, path).expect(400))).toEqual([
      'caseId',
    ]);
    // Its arrests are edited as a whole list (draft-edit-contents.e2e.ts), never emptied.
    expect(fieldsOf(await edit(tf['kh.officer'], moved, { arrestIds: [] }, path).expect(400))).toEqual([
      'arrestIds',
    ]);

    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          subject: 'Recruiters seen at passport 9912345 checks',
          entries: [
            {
              person: {
                names: [{ full: 'YOON Draft', script: 'latin', kind: 'primary' }],
                nationalities: ['KR'],
              },
              grounds: 'Recruiter for a compound.',
              groundsSummary: 'Recruiter',
            },
          ],
        })
        .expect(201)
    ).body as View;
    const proposals = '/blacklist-proposals';
    expect((await read(tf['kr.officer'], proposal, proposals)).allowedActions).toContain('edit');
    for (const field of ['entry', 'banningCountry']) {
      const refused = await edit(tf['kr.officer'], proposal, { [field]: [] }, proposals).expect(400);
      expect(refused.body.errors).toEqual([
        { field, message: expect.stringMatching(new RegExp(`^${field} cannot be changed on a draft: `)) },
      ]);
    }
    // It says where else its numbers are carried (its entries' grounds): one taken out of the subject
    // leaves no receipt behind.
    await edit(tf['kr.officer'], proposal, { subject: 'Recruiters' }, proposals).expect(200);

    const released = await personKhGaveKr(tf, 'AMBER', 'SOK Draft');
    const release = (
      await tf['kr.officer']
        .post('/release-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          recipientCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'May he go to Malaysia?',
          personIds: [released],
        })
        .expect(201)
    ).body as View;
    // Its persons and numbers are edited (draft-edit-contents.e2e.ts); the country it asks about is not.
    const recipient = await edit(tf['kr.officer'], release, { recipientCountry: 'TH' }, '/release-requests');
    expect(recipient.status).toBe(400);
    expect(recipient.body.errors).toEqual([
      {
        field: 'recipientCountry',
        message: expect.stringMatching(/^recipientCountry cannot be changed on a draft: /),
      },
    ]);
    for (const field of ['personIds', 'identifiers'])
      expect(
        new Set(
          fieldsOf(await edit(tf['kr.officer'], release, { [field]: null }, '/release-requests').expect(400)),
        ),
      ).toEqual(new Set([field]));
    await edit(tf['kr.officer'], release, { priority: 'immediate' }, '/release-requests').expect(200);
  });
});
