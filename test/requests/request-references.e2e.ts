import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import type { SignedIn } from '../support/http';
import { koreaMalaysiaFramework } from '../asset-freezes/asset-freeze-scenario';

/**
 * A request's reference is given when it leaves its country (`approve`), numbered per origin–target pair,
 * kind and year: a partner learns from it only how many requests of that kind it received from the
 * origin. Drafts have none, only a draft id for the origin's own users.
 */
describe('Request references are given at approve, per origin–target pair', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  const year = new Date().getUTCFullYear();
  const base = '/information-requests';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await koreaMalaysiaFramework(t);
  });
  afterAll(() => t?.close());

  type Body = { id: string; version: number; reference: string | null; draftId: string; status: string };
  const act = async (who: SignedIn, id: string, action: string, version: number) =>
    (await who.post(`${base}/${id}/${action}`, { version }).expect(200)).body as Body;
  const draftTo = async (target: 'KH' | 'MY', subject: string, handlingCode = 'AMBER') =>
    (
      await tf['kr.officer']
        .post(
          base,
          aDraft(target === 'KH' ? tf.cambodiaKoreaFramework : krMy, {
            targetCountry: target,
            subject,
            handlingCode,
          }),
        )
        .expect(201)
    ).body as Body;
  const submitted = async (target: 'KH' | 'MY', subject: string, handlingCode = 'AMBER') => {
    const d = await draftTo(target, subject, handlingCode);
    return act(tf['kr.officer'], d.id, 'submit', d.version);
  };
  const approve = (r: Body) => act(tf['kr.liaison'], r.id, 'approve', r.version);

  it('a KR→KH request and a KR→MY request approved in turn get KR-KH-INF-<year>-000001 and KR-MY-INF-<year>-000001; a draft has no reference; KH cannot learn from the reference how many requests KR sent to MY', async () => {
    // Drafts and submitted requests have no reference, only a draft id; they take no number.
    const draft = await draftTo('KH', 'Still a draft');
    expect(draft.reference).toBeNull();
    expect(draft.draftId).toBe(`DRAFT-${draft.id.slice(0, 8).toUpperCase()}`);
    expect(draft.draftId).toMatch(/^DRAFT-[0-9A-F]{8}$/);
    const toKh = await submitted('KH', 'First to KH');
    const toMy = await submitted('MY', 'First to MY');
    expect([toKh.reference, toMy.reference]).toEqual([null, null]);
    // A draft withdrawn before sending never takes a number.
    const dropped = await submitted('KH', 'Withdrawn before sending');
    const withdrawn = await act(tf['kr.officer'], dropped.id, 'withdraw', dropped.version);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', reference: null });

    const sentToKh = await approve(toKh);
    const sentToMy = await approve(toMy);
    expect(sentToKh).toMatchObject({ status: 'sent', reference: `KR-KH-INF-${year}-000001` });
    expect(sentToMy).toMatchObject({ status: 'sent', reference: `KR-MY-INF-${year}-000001` });
    // The draft id stays, so the origin's users can match what they drafted with what was sent.
    expect(sentToKh.draftId).toBe(toKh.draftId);

    // KR sends MY three more, and drafts more for KH; KH's next request is still its second.
    for (const n of [2, 3, 4]) {
      const sent = await approve(await submitted('MY', `To MY ${n}`));
      expect(sent.reference).toBe(`KR-MY-INF-${year}-${String(n).padStart(6, '0')}`);
    }
    await draftTo('KH', 'Another draft');
    await submitted('KH', 'Submitted, not approved');
    const secondToKh = await approve(await submitted('KH', 'Second to KH'));
    expect(secondToKh.reference).toBe(`KR-KH-INF-${year}-000002`);

    // What KH reads: its two requests numbered 1 and 2, and nothing else of KR's.
    const inbound = (await tf['kh.liaison'].get(`${base}?direction=inbound&limit=200`).expect(200)).body
      .items as Body[];
    expect(inbound.map((r) => r.reference).sort()).toEqual([
      `KR-KH-INF-${year}-000001`,
      `KR-KH-INF-${year}-000002`,
    ]);
    const seen = await tf['kh.liaison'].get(`${base}/${sentToKh.id}`).expect(200);
    expect(seen.body.reference).toBe(`KR-KH-INF-${year}-000001`);
    // KH's notifications name its own requests only, by their pair references.
    const inbox = (await tf['kh.liaison'].get('/notifications?limit=200').expect(200)).body.items as Array<{
      reference: string | null;
    }>;
    expect(inbox.map((n) => n.reference).sort()).toEqual([
      `KR-KH-INF-${year}-000001`,
      `KR-KH-INF-${year}-000002`,
    ]);

    // The approve's audit event names the reference it gave; the create's names the draft id.
    const events: Array<{ action: string; after: Record<string, unknown> }> = await t.dataSource.query(
      `SELECT action, changes -> 'after' AS after FROM audit_event
        WHERE record_id = $1 AND outcome = 'success' ORDER BY id`,
      [sentToKh.id],
    );
    expect(events.find((e) => e.action === 'request.create')?.after).toMatchObject({
      draftId: toKh.draftId,
    });
    expect(events.find((e) => e.action === 'request.approve')?.after).toMatchObject({
      reference: `KR-KH-INF-${year}-000001`,
    });
  });

  it('a sent request always has a reference and a draft has none, in the database too', async () => {
    await approve(await submitted('KH', 'Sent'));
    await draftTo('MY', 'A draft');
    const [row] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE sent_at IS NOT NULL AND reference IS NULL)::int AS unnumbered_sent,
              count(*) FILTER (WHERE status IN ('draft', 'submitted') AND reference IS NOT NULL)::int AS numbered_drafts,
              count(*) FILTER (WHERE status IN ('draft', 'submitted'))::int AS drafts
         FROM cross_border_request`,
    );
    expect(row.drafts).toBeGreaterThan(0);
    expect(row).toMatchObject({ unnumbered_sent: 0, numbered_drafts: 0 });
    // The schema refuses a sent request without a reference.
    await expect(
      t.dataSource.query(
        `UPDATE cross_border_request SET status = 'sent', sent_at = now() WHERE status = 'draft' AND reference IS NULL`,
      ),
    ).rejects.toThrow(/cross_border_request_sent_has_reference/);
  });

  it('a RED request is not numbered: the pair prefix with R and 8 random characters, and the pair’s series has no gap for it', async () => {
    const numberOf = (r: Body) => Number(r.reference!.slice(r.reference!.lastIndexOf('-') + 1));
    const before = await approve(await submitted('MY', 'Amber before'));
    const red1 = await approve(await submitted('MY', 'Informant one', 'RED'));
    const red2 = await approve(await submitted('MY', 'Informant two', 'RED'));
    const after = await approve(await submitted('MY', 'Amber after'));
    const redFormat = new RegExp(`^KR-MY-INF-${year}-R[0-9A-HJKMNP-TV-Z]{8}$`);
    expect(red1).toMatchObject({ status: 'sent', reference: expect.stringMatching(redFormat) });
    expect(red2).toMatchObject({ status: 'sent', reference: expect.stringMatching(redFormat) });
    expect(red2.reference).not.toBe(red1.reference);
    expect(before.reference).toMatch(new RegExp(`^KR-MY-INF-${year}-\\d{6}$`));
    expect(numberOf(after)).toBe(numberOf(before) + 1);
    // MY's liaison, a recipient of every RED request sent to MY, reads and finds it by that reference.
    expect((await tf['my.liaison'].get(`${base}/${red1.id}`).expect(200)).body.reference).toBe(
      red1.reference,
    );
    const found = (
      await tf['my.liaison'].get(`${base}?q=${encodeURIComponent(red1.reference!)}`).expect(200)
    ).body.items.map((r: Body) => r.id);
    expect(found).toEqual([red1.id]);
  });

  it('a shared case is named to the partner by its share, numbered per owner and partner: MY does not learn how many cases KR opened or shared with KH', async () => {
    const kase = async (title: string) => (await tf['kr.officer'].post('/cases', { title }).expect(201)).body;
    const share = (id: string, countryCode: string) =>
      tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode }).expect(201);
    for (const i of [1, 2, 3]) await share((await kase(`KH only ${i}`)).id, 'KH');
    const both = await kase('Shared with both');
    await share(both.id, 'KH');
    await share(both.id, 'MY');
    const read = async (who: SignedIn) =>
      (await who.get(`/cases/${both.id}`).expect(200)).body.reference as string;
    expect(await read(tf['kr.officer'])).toBe(both.reference);
    expect(await read(tf['kh.officer'])).toBe(`KR-KH-CASE-${year}-000004`);
    expect(await read(tf['my.officer'])).toBe(`KR-MY-CASE-${year}-000001`);
    // MY finds it by the name it knows, and not by the owner's own.
    const found = async (q: string) =>
      (await tf['my.officer'].get(`/cases?q=${encodeURIComponent(q)}`).expect(200)).body.items.map(
        (c: { id: string }) => c.id,
      );
    expect(await found(`KR-MY-CASE-${year}-000001`)).toEqual([both.id]);
    expect(await found(both.reference)).toEqual([]);
  });
});
