import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import {
  entryMalaysiaAskedKoreaToBan,
  proposedAndAccepted,
  threeSuspects,
} from '../support/blacklist-scenario';

/**
 * Reading the screenings a country's checkpoints ran: an auditor of the country reads a screening (did
 * the checkpoint let a banned person through?) and changes nothing; the country's screeners, officers,
 * liaisons and auditors list its screenings, newest first, a page at a time, and find those with
 * candidates nobody decided yet (the next shift's work). Another country's screenings never show, and
 * another country's screening's id answers as one that never existed.
 */

interface Summary {
  id: string;
  checkpoint: string;
  countryCode: string;
  createdAt: string;
  candidates: number;
  undecided: number;
  undecidedAlerts: number;
}

/** What a caller can compare of two answers: status, content type and body, less the request's own ids. */
function answerOf(res: Response, id: string) {
  const { instance: _instance, requestId: _requestId, ...body } = (res.body ?? {}) as Record<string, unknown>;
  return {
    status: res.status,
    type: String(res.headers['content-type']),
    body: JSON.stringify(body).split(id).join('<id>'),
  };
}

describe('Screenings read by the checkpoint country: one by id (its auditors too) and the list', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khScreener: SignedIn;
  let krScreener: SignedIn;
  let khAdmin: SignedIn;
  let leeEntry: string;
  /** KH's screenings, in the order they were run. */
  const kh: Record<'cleared' | 'nobody' | 'alert' | 'review', { id: string; createdAt: string }> =
    {} as never;
  let krUndecided: { id: string; checkpoint: string };

  const screen = (who: SignedIn, checkpoint: string, body: object) =>
    who.post('/screenings', { checkpoint, ...body }).expect(201);
  const list = async (who: SignedIn, query = '') =>
    (await who.get(`/screenings${query}`).expect(200)).body as {
      items: Summary[];
      nextCursor: string | null;
    };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khScreener = await signIn(t.server, 'kh.screener');
    krScreener = await signIn(t.server, 'kr.screener');
    khAdmin = await signIn(t.server, 'kh.admin');
    // KR asks KH to ban Lee Jae-seong; KH activates the entry.
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    leeEntry = proposal.entries[0].id;
    await tf['kh.liaison']
      .post(`/blacklist-entries/${leeEntry}/activate`, {
        version: 1,
        legalBasis: 'Immigration Law art. 29',
        expiresOn: '2031-12-31',
      })
      .expect(200);
    // MY asks KR to ban someone; KR's checkpoint screens him and leaves the candidate undecided.
    await entryMalaysiaAskedKoreaToBan(t, tf, {
      person: {
        names: [
          { full: 'TAN Boon Kiat', family: 'Tan', given: 'Boon Kiat', script: 'latin', kind: 'primary' },
        ],
        birthDate: '1982-11-02',
        nationalities: ['MY'],
      },
      grounds: 'Recruits for a compound in Poipet.',
      groundsSummary: 'Compound recruiter',
    });
    const kr = (
      await screen(krScreener, 'ICN-T1-ARR-9', {
        names: [{ full: 'TAN Boon Kiat' }],
        birthDate: '1982-11-02',
      })
    ).body;
    expect(kr.candidates).toHaveLength(1);
    krUndecided = { id: kr.id, checkpoint: 'ICN-T1-ARR-9' };

    // KH's checkpoints: a hit cleared, a traveller who matched nobody, a hit left undecided in the alert
    // band, and one left undecided in the review band.
    const cleared = (
      await screen(khScreener, 'PNH-AIRPORT-ARR-1', {
        names: [{ full: 'Lee Jae Seong' }],
        document: { number: 'X11112222', issuingCountry: 'KR' },
      })
    ).body;
    await khScreener
      .post(`/screenings/${cleared.id}/candidates/${cleared.candidates[0].id}/decision`, {
        decision: 'cleared',
        reason: 'Different face, born 1999',
      })
      .expect(200);
    const nobody = (await screen(khScreener, 'PNH-AIRPORT-ARR-1', { names: [{ full: 'John Nobody' }] })).body;
    expect(nobody.candidates).toEqual([]);
    const alert = (
      await screen(khScreener, 'BAVET-LAND-1', { names: [{ full: 'Lee Jae Seong' }], nationality: 'KR' })
    ).body;
    expect(alert.candidates.map((c: { band: string }) => c.band)).toEqual(['alert']);
    const review = (
      await screen(khScreener, 'PNH-AIRPORT-ARR-1', { names: [{ full: 'Lee Jae' }], birthDate: '1985' })
    ).body;
    expect(review.candidates.map((c: { band: string }) => c.band)).toEqual(['review']);
    Object.assign(kh, { cleared, nobody, alert, review });
  }, 120_000);
  afterAll(() => t?.close());

  it('lets the country’s auditor read a screening as its screener does, and nothing more', async () => {
    const auditor = tf['kh.auditor'];
    const asScreener = (await khScreener.get(`/screenings/${kh.alert.id}`).expect(200)).body;
    const asAuditor = (await auditor.get(`/screenings/${kh.alert.id}`).expect(200)).body;
    expect(asAuditor).toEqual(asScreener);
    expect(asAuditor.candidates[0]).toMatchObject({ decision: null, entry: { entryId: leeEntry } });

    // Read-only: it runs no screening and decides no candidate, and its refusals change nothing.
    await auditor
      .post('/screenings', { checkpoint: 'PNH-AIRPORT-ARR-1', names: [{ full: 'Kim' }] })
      .expect(403);
    await auditor
      .post(`/screenings/${kh.alert.id}/candidates/${asScreener.candidates[0].id}/decision`, {
        decision: 'cleared',
        reason: 'Not him',
      })
      .expect(403);
    expect((await khScreener.get(`/screenings/${kh.alert.id}`).expect(200)).body).toEqual(asScreener);
  });

  it('answers another country’s screening, to every role that reads screenings, as an id that never existed', async () => {
    const callers = [tf['kr.auditor'], krScreener, tf['kr.officer'], tf['kr.liaison'], tf['my.auditor']];
    for (const caller of callers) {
      for (const hidden of [kh.alert.id, kh.cleared.id]) {
        const unknown = randomUUID();
        const seen = await caller.get(`/screenings/${hidden}`);
        const never = await caller.get(`/screenings/${unknown}`);
        expect({ who: caller.username, status: seen.status }).toEqual({ who: caller.username, status: 404 });
        expect(answerOf(seen, hidden)).toEqual(answerOf(never, unknown));
      }
    }
    // The country's admin reads no screening at all.
    await khAdmin.get(`/screenings/${kh.alert.id}`).expect(403);
  });

  it('audits a refused read of another country’s screening as it does an unknown id’s, and tells the owner’s auditors', async () => {
    const unknown = randomUUID();
    // The case before probes the same screening: only this case's refusals are read.
    const from = encodeURIComponent(new Date().toISOString());
    await krScreener.get(`/screenings/${kh.alert.id}`).expect(404);
    await krScreener.get(`/screenings/${unknown}`).expect(404);
    await krScreener
      .post(`/screenings/${kh.alert.id}/candidates/${randomUUID()}/decision`, { decision: 'confirmed' })
      .expect(404);
    const denials = async (who: SignedIn, id: string) =>
      (
        (
          await who
            .get(`/audit-events?recordId=${id}&action=access.denied&from=${from}&limit=200`)
            .expect(200)
        ).body.items as Array<{
          outcome: string;
          ownerCountry: string | null;
          details: { reason: string };
        }>
      ).map((e) => ({ outcome: e.outcome, owner: e.ownerCountry, reason: e.details.reason }));
    // KR's auditor reads its screener's two probes alike: it learns nothing of which one exists.
    const probe = { outcome: 'denied', owner: null, reason: 'not-visible' };
    expect(await denials(tf['kr.auditor'], unknown)).toEqual([probe]);
    expect(await denials(tf['kr.auditor'], kh.alert.id)).toEqual([probe, probe]);
    // KH's auditors see who probed their checkpoint's screening (the read and the decision).
    const owned = { ...probe, owner: 'KH' };
    expect(await denials(tf['kh.auditor'], kh.alert.id)).toEqual([owned, owned]);
  });

  it('lists the country’s own screenings, newest first, with their candidates counted', async () => {
    const { items, nextCursor } = await list(khScreener);
    expect(nextCursor).toBeNull();
    expect(items.map((s) => s.id)).toEqual([kh.review.id, kh.alert.id, kh.nobody.id, kh.cleared.id]);
    expect(items.map((s) => s.countryCode)).toEqual(['KH', 'KH', 'KH', 'KH']);
    expect(items[1]).toEqual({
      id: kh.alert.id,
      checkpoint: 'BAVET-LAND-1',
      countryCode: 'KH',
      createdAt: kh.alert.createdAt,
      candidates: 1,
      undecided: 1,
      undecidedAlerts: 1,
    });
    expect(items.map((s) => [s.candidates, s.undecided, s.undecidedAlerts])).toEqual([
      [1, 1, 0],
      [1, 1, 1],
      [0, 0, 0],
      [1, 0, 0],
    ]);
    // KR's list is KR's: its own screening only, never KH's.
    expect((await list(krScreener)).items.map((s) => s.id)).toEqual([krUndecided.id]);
    expect((await list(tf['my.auditor'])).items).toEqual([]);
  });

  it('finds the screenings with candidates still undecided, in the alert or the review band', async () => {
    expect((await list(khScreener, '?undecided=true')).items.map((s) => s.id)).toEqual([
      kh.review.id,
      kh.alert.id,
    ]);
    expect((await list(khScreener, '?undecided=false')).items.map((s) => s.id)).toEqual([
      kh.nobody.id,
      kh.cleared.id,
    ]);
    expect((await list(krScreener, '?undecided=true')).items.map((s) => s.id)).toEqual([krUndecided.id]);

    // Once decided, a screening leaves the undecided list.
    const alert = (await khScreener.get(`/screenings/${kh.alert.id}`).expect(200)).body;
    await khScreener
      .post(`/screenings/${kh.alert.id}/candidates/${alert.candidates[0].id}/decision`, {
        decision: 'cleared',
        reason: 'Another Lee, born 1990',
      })
      .expect(200);
    expect((await list(khScreener, '?undecided=true')).items.map((s) => s.id)).toEqual([kh.review.id]);
    expect((await list(tf['kh.auditor'], '?undecided=true')).items.map((s) => s.id)).toEqual([kh.review.id]);
  });

  it('filters by checkpoint and by time, from inclusive, to exclusive', async () => {
    expect((await list(khScreener, '?checkpoint=BAVET-LAND-1')).items.map((s) => s.id)).toEqual([
      kh.alert.id,
    ]);
    expect(
      (await list(khScreener, '?checkpoint=PNH-AIRPORT-ARR-1&undecided=true')).items.map((s) => s.id),
    ).toEqual([kh.review.id]);
    // Another country's checkpoint finds nothing, as a checkpoint nobody has.
    expect((await list(khScreener, `?checkpoint=${krUndecided.checkpoint}`)).items).toEqual([]);

    const from = encodeURIComponent(kh.nobody.createdAt);
    const to = encodeURIComponent(kh.review.createdAt);
    expect((await list(khScreener, `?from=${from}`)).items.map((s) => s.id)).toEqual([
      kh.review.id,
      kh.alert.id,
      kh.nobody.id,
    ]);
    expect((await list(khScreener, `?from=${from}&to=${to}`)).items.map((s) => s.id)).toEqual([
      kh.alert.id,
      kh.nobody.id,
    ]);
    expect((await list(khScreener, '?to=2000-01-01')).items).toEqual([]);
    expect((await list(khScreener, '?from=2000-01-01')).items).toHaveLength(4);
  });

  it('pages by cursor: one at a time gives the whole list, in its order', async () => {
    for (const query of ['', 'undecided=false&']) {
      const whole = (await list(khScreener, `?${query}limit=200`)).items.map((s) => s.id);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Summary[]; nextCursor: string | null } = await list(
          khScreener,
          `?${query}limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.items).toHaveLength(1);
        paged.push(page.items[0].id);
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(whole);
    }
  });

  it('refuses bad filters with a problem naming the field', async () => {
    const bad: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=1e1', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['undecided=yes', 'undecided'],
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['checkpoint=', 'checkpoint'],
      ['status=open', 'status'],
    ];
    for (const [query, field] of bad) {
      const res = await khScreener.get(`/screenings?${query}`);
      expect({ query, status: res.status, type: res.headers['content-type'] }).toEqual({
        query,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      const fields = new Set(res.body.errors.map((e: { field: string }) => e.field));
      expect({ query, fields: [...fields] }).toEqual({ query, fields: [field] });
    }
  });

  it('is for the roles that read screenings: screeners, officers, liaisons and auditors, not admins', async () => {
    for (const who of [khScreener, tf['kh.officer'], tf['kh.liaison'], tf['kh.auditor']])
      expect({ who: who.username, status: (await who.get('/screenings')).status }).toEqual({
        who: who.username,
        status: 200,
      });
    await khAdmin.get('/screenings').expect(403);
    await (await signIn(t.server, 'platform.admin')).get('/screenings').expect(403);
  });
});
