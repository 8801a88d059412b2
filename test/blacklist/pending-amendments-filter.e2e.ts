import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { krEditsLimKosal, limKosal, limKosalBannedByMalaysia } from '../support/blacklist-scenario';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

// MY bans LIM Kosal (and others) at KR's request; KR adds a passport to one of them. MY's liaisons find
// the entries whose changed identity waits on them from the list, not by opening each entry.
const newPassport = {
  documents: [...limKosal.documents, { type: 'passport', number: 'P77310452', issuingCountry: 'KH' }],
};

interface Listed {
  id: string;
  status: string;
  pendingAmendments: number;
}

describe('GET /blacklist-entries?pendingAmendments=', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const proposeAmendments = () => t.app.get(BlacklistAmendmentsService).runPending();
  /** Every entry `who` lists with `query`, page after page of `limit`. */
  const listed = async (who: SignedIn, query: string, limit = 200): Promise<Listed[]> => {
    const rows: Listed[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: Listed[]; nextCursor: string | null } = (
        await who.get(`/blacklist-entries?limit=${limit}&${query}${after}`).expect(200)
      ).body;
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  };
  const ids = (rows: Listed[]) => rows.map((r) => r.id);

  it('MY’s liaison lists the entries it bans whose amendment waits on it, and only those; a decision takes one off', async () => {
    const { personId, entry: waiting } = await limKosalBannedByMalaysia(t, tf);
    const { entry: quiet } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    await proposeAmendments();

    const pending = await listed(tf['my.liaison'], 'side=banning&pendingAmendments=true');
    expect(ids(pending)).toContain(waiting.id);
    expect(ids(pending)).not.toContain(quiet.id);
    expect(pending.every((e) => e.pendingAmendments > 0)).toBe(true);
    const none = await listed(tf['my.liaison'], 'side=banning&pendingAmendments=false');
    expect(ids(none)).toContain(quiet.id);
    expect(ids(none)).not.toContain(waiting.id);
    expect(none.every((e) => e.pendingAmendments === 0)).toBe(true);
    // Beside the other filters, and paged one at a time as every list is.
    const query = 'status=active&side=banning&pendingAmendments=true';
    const onePerPage = ids(await listed(tf['my.liaison'], query, 1));
    expect(onePerPage).toEqual(ids(await listed(tf['my.liaison'], query)));
    expect(onePerPage).toContain(waiting.id);

    const [amendment] = (
      await tf['my.liaison'].get(`/blacklist-entries/${waiting.id}/amendments`).expect(200)
    ).body;
    await tf['my.liaison']
      .post(`/blacklist-entries/${waiting.id}/amendments/${amendment.id}/reject`, { comment: 'Not him' })
      .expect(200);
    expect(ids(await listed(tf['my.liaison'], 'side=banning&pendingAmendments=true'))).not.toContain(
      waiting.id,
    );
    expect(ids(await listed(tf['my.liaison'], 'side=banning&pendingAmendments=false'))).toContain(waiting.id);
  });

  it('KR, the proposing country, lists what waits on MY as its views show it; KH lists nothing of it', async () => {
    const { personId, entry } = await limKosalBannedByMalaysia(t, tf);
    await krEditsLimKosal(tf, personId, newPassport);
    await proposeAmendments();

    const kr = await listed(tf['kr.liaison'], 'side=proposed&pendingAmendments=true');
    expect(ids(kr)).toContain(entry.id);
    expect(kr.every((e) => e.pendingAmendments > 0)).toBe(true);
    expect(ids(await listed(tf['kr.liaison'], 'side=banning&pendingAmendments=true'))).not.toContain(
      entry.id,
    );
    expect(ids(await listed(tf['my.liaison'], 'side=proposed&pendingAmendments=true'))).not.toContain(
      entry.id,
    );
    for (const value of ['true', 'false'])
      expect(ids(await listed(tf['kh.liaison'], `pendingAmendments=${value}`))).not.toContain(entry.id);
  });

  it('a value other than true or false is a 400 problem naming the parameter; screeners still list nothing', async () => {
    for (const bad of ['yes', '1', 'TRUE', '']) {
      const res = await tf['my.liaison'].get(`/blacklist-entries?pendingAmendments=${bad}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 400,
        errors: [{ field: 'pendingAmendments', message: 'pendingAmendments must be true or false' }],
      });
    }
    await (
      await signIn(t.server, 'my.screener')
    )
      .get('/blacklist-entries?pendingAmendments=true')
      .expect(403);
  });
});
