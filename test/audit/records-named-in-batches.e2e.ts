import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A raid's arrests and their persons are recorded by one event each kind (`arrest.create`,
 * `person.create`, listing every id), and a freeze request's targets by one `asset_freeze.targets.add` on
 * the request: each record's own timeline shows the event that made it, as it does for a record made
 * alone. Found by the every-change oracle naming records (not only transactions).
 */
describe('Audit: a record made with others shows its creation in its own timeline', () => {
  let t: TestApp;
  let tf: TaskForce;
  let auditor: SignedIn;
  let raid: { arrestId: string; personId: string }[];
  let targetIds: string[];

  const actionsOf = async (who: SignedIn, recordType: string, recordId: string) => {
    const res = await who.get(
      `/audit-events/timeline?recordType=${recordType}&recordId=${recordId}&limit=200`,
    );
    return res.status === 200 ? res.body.items.map((e: { action: string }) => e.action) : [`${res.status}`];
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    auditor = await signIn(t.server, 'kr.auditor');
    const arrest = (nationality: string, full: string) => ({
      arrestedAt: '2026-03-01T02:30:00Z',
      place: 'Golden Fortune compound',
      grounds: 'Online fraud',
      arrestingAgency: 'KNP',
      nationality,
      person: { names: [{ full, script: 'latin', kind: 'primary' }] },
    });
    raid = (
      await tf['kr.officer']
        .post('/arrests/batch', { arrests: [arrest('KH', 'SOK Raidone'), arrest('VN', 'NGUYEN Raidtwo')] })
        .expect(201)
    ).body.rows;
    const freeze = (
      await tf['kr.officer']
        .post('/asset-freeze-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Two accounts',
          targets: ['000123456', '000654321'].map((accountNumber) => ({
            type: 'bank_account',
            institutionName: 'ABA Bank',
            institutionCode: 'ABAAKHPP',
            accountNumber,
            holderName: 'SOK Dara',
            borrowedName: false,
            amountSought: { amount: '100.00', currency: 'USD' },
            grounds: { summary: 'Proceeds of a scam' },
          })),
        })
        .expect(201)
    ).body;
    targetIds = freeze.targets.map((x: { id: string }) => x.id);
  }, 120_000);
  afterAll(() => t?.close());

  it('each arrest of a raid, and each person it made, shows its creation', async () => {
    expect(raid).toHaveLength(2);
    for (const { arrestId, personId } of raid) {
      expect(await actionsOf(auditor, 'arrest', arrestId)).toContain('arrest.create');
      expect(await actionsOf(auditor, 'person', personId)).toContain('person.create');
    }
  });

  it('each target of a freeze request shows the event that added it', async () => {
    expect(targetIds).toHaveLength(2);
    for (const id of targetIds)
      expect(await actionsOf(auditor, 'asset_freeze_target', id)).toContain('asset_freeze.targets.add');
  });

  it('a record’s timeline does not show another record’s listing event', async () => {
    const other = raid[0]!.arrestId;
    expect(await actionsOf(auditor, 'person', other)).not.toContain('person.create');
    expect(await actionsOf(auditor, 'asset_freeze_target', raid[0]!.personId)).toEqual([]);
  });
});
