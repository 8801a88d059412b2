import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { deliveryAbout, integrationAccount, receiver, Receiver, subscribe } from '../probe-r32/r32-support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Arrest {
  id: string;
  nationality: string;
  place: string;
  grounds: string;
  arrestedAt: string;
  version: number;
  updatedAt: string;
}

interface Notice {
  eventType: string;
  recordType: string;
  recordId: string;
  reference: string | null;
  payload: Record<string, unknown>;
}

const EVENT = 'arrest.corrected';
const PLACE = 'Golden Fortune compound, Building C';
const GROUNDS = 'Participation in an online fraud organisation';

/** A problem body as a caller can compare two: everything but the request id. */
function answerOf(res: request.Response) {
  const { requestId: _id, instance: _instance, ...body } = (res.body ?? {}) as Record<string, unknown>;
  return { status: res.status, contentType: String(res.headers['content-type']), body };
}

/**
 * Correcting an arrest record (`PATCH /arrests/:id`): a raid's typo fixed by the arresting country (KH),
 * read corrected by the countries that read the arrest, told to them, audited; refused where a partner
 * already acts on what it would change.
 */
describe('An arrest record corrected by its arresting country', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: Receiver;
  let krMy: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    tf = await taskForce(t);
    krMy = (await tf.frameworkBetween('KR', 'MY'))!;
    hooks = await receiver();
  }, 120_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  /** `who`'s country records an arrest of a new person (one of a raid's rows, typed in). */
  const recordArrest = async (who: SignedIn, fields: Record<string, unknown> = {}): Promise<Arrest> =>
    (
      await who
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: PLACE,
          grounds: GROUNDS,
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: `TAN Corrected ${++n}`, script: 'latin', kind: 'primary' }] },
          ...fields,
        })
        .expect(201)
    ).body;
  /** KH records an arrest of a new person. */
  const khArrest = (fields: Record<string, unknown> = {}) => recordArrest(tf['kh.officer'], fields);
  const correct = (who: SignedIn, id: string, body: object, query = '') =>
    who.patch(`/arrests/${id}${query}`, body);
  const arrestAs = async (who: SignedIn, id: string) =>
    (await who.get(`/arrests/${id}`).expect(200)).body as Arrest;
  const noticesOf = async (who: SignedIn, arrestId: string): Promise<Notice[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
      (x) => x.recordId === arrestId,
    );
  const draftRepatriation = (who: SignedIn, arrestId: string, targetCountry: string, frameworkId: string) =>
    who.post('/repatriation-requests', {
      frameworkId,
      targetCountry,
      priority: 'urgent',
      handlingCode: 'AMBER',
      subject: 'Repatriation of a national arrested in the Golden Fortune raid',
      arrestIds: [arrestId],
    });
  const repatriation = async (
    who: SignedIn,
    arrestId: string,
    targetCountry: string,
    frameworkId: string,
  ) => {
    const res = await draftRepatriation(who, arrestId, targetCountry, frameworkId);
    if (res.status !== 201) throw new Error(`repatriation draft: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const step = (who: SignedIn, id: string, action: string, version: number) =>
    who.post(`/repatriation-requests/${id}/${action}`, { version });
  /** `country`'s officer submits the draft, its liaison sends it. */
  const send = async (country: 'kr' | 'kh', id: string, version: number) => {
    const submitted = await step(tf[`${country}.officer`], id, 'submit', version).expect(200);
    return (await step(tf[`${country}.liaison`], id, 'approve', submitted.body.version).expect(200)).body as {
      reference: string;
    };
  };

  it('a nationality typo corrected: the person goes home to the right country; a draft to the old one cannot be sent', async () => {
    // KR typed KH; the person is Malaysian. A draft to KH was made before anyone noticed.
    const arrest = await recordArrest(tf['kr.officer'], { nationality: 'KH', arrestingAgency: 'KNPA' });
    const toKh = await repatriation(tf['kr.officer'], arrest.id, 'KH', tf.cambodiaKoreaFramework);
    const refused = await draftRepatriation(tf['kr.officer'], arrest.id, 'MY', krMy);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain('national of KH');

    const corrected = await correct(tf['kr.officer'], arrest.id, {
      version: arrest.version,
      nationality: 'MY',
    }).expect(200);
    expect(corrected.body).toMatchObject({ id: arrest.id, nationality: 'MY', version: arrest.version + 1 });

    // The draft to KH stays KR's, and shows what it holds; it cannot be sent to KH.
    const draft = (await tf['kr.officer'].get(`/repatriation-requests/${toKh.id}`).expect(200)).body;
    expect(draft.persons[0]).toMatchObject({ arrestId: arrest.id, nationality: 'MY' });
    const submitted = await step(tf['kr.officer'], toKh.id, 'submit', toKh.version).expect(200);
    const approve = await step(tf['kr.liaison'], toKh.id, 'approve', submitted.body.version);
    expect(approve.status).toBe(409);
    expect(approve.body.detail).toContain('corrected the nationality');
    await tf['kh.liaison'].get(`/repatriation-requests/${toKh.id}`).expect(404);
    await tf['kh.officer'].get(`/arrests/${arrest.id}`).expect(404);
    await step(tf['kr.officer'], toKh.id, 'withdraw', submitted.body.version).expect(200);

    // To Malaysia: drafted, sent; MY reads the arrest, KH never did.
    const toMy = await repatriation(tf['kr.officer'], arrest.id, 'MY', krMy);
    await send('kr', toMy.id, toMy.version);
    expect(await arrestAs(tf['my.officer'], arrest.id)).toMatchObject({
      nationality: 'MY',
      arrestingCountry: 'KR',
    });
    await tf['kh.officer'].get(`/arrests/${arrest.id}`).expect(404);
  });

  it('a stale version is refused (409) and changes nothing', async () => {
    const arrest = await khArrest();
    await correct(tf['kh.officer'], arrest.id, { version: arrest.version, place: 'Building D' }).expect(200);
    const stale = await correct(tf['kh.officer'], arrest.id, {
      version: arrest.version,
      place: 'Building E',
    });
    expect(stale.status).toBe(409);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.body).toMatchObject({ status: 409, type: expect.any(String) });
    expect(await arrestAs(tf['kh.officer'], arrest.id)).toMatchObject({
      place: 'Building D',
      version: arrest.version + 1,
    });
  });

  it('another country that does not read the arrest gets what an unknown id gets (404)', async () => {
    const arrest = await khArrest();
    for (const who of [tf['my.officer'], tf['kr.officer']]) {
      const body = { version: arrest.version, place: 'Changed by another country' };
      const seen = await correct(who, arrest.id, body);
      const never = await correct(who, randomUUID(), body);
      expect(seen.status).toBe(404);
      expect(answerOf(seen)).toEqual(answerOf(never));
    }
    expect((await arrestAs(tf['kh.officer'], arrest.id)).place).toBe(PLACE);
    // The same body from the arresting country corrects it.
    await correct(tf['kh.officer'], arrest.id, { version: arrest.version, place: 'Building D' }).expect(200);
  });

  it('a country it is shared with reads the correction and is told which fields changed; a third country hears nothing', async () => {
    const kr = await integrationAccount(t, 'kr.hooks.officer', ['officer']);
    const my = await integrationAccount(t, 'my.hooks.officer', ['officer']);
    hooks.answer.kr = 204;
    const krSub = await subscribe(kr.as, hooks.url('kr'), [EVENT]);
    const mySub = await subscribe(my.as, hooks.url('my'), [EVENT]);
    const arrest = await khArrest();
    await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);
    const before = await arrestAs(tf['kr.officer'], arrest.id);

    // KR reads but may not write: the refusal for a visible record (403), nothing changed.
    await correct(tf['kr.officer'], arrest.id, { version: arrest.version, place: 'KR edit' }).expect(403);
    const corrected = await correct(tf['kh.officer'], arrest.id, {
      version: arrest.version,
      place: 'Golden Fortune compound, Building D',
      grounds: 'Illegal gambling operation',
    }).expect(200);

    const read = await arrestAs(tf['kr.officer'], arrest.id);
    expect(read).toMatchObject({
      place: 'Golden Fortune compound, Building D',
      grounds: 'Illegal gambling operation',
      version: null,
    });
    expect(read.updatedAt > before.updatedAt).toBe(true);
    for (const who of [tf['kr.officer'], tf['kr.liaison']]) {
      const [notice, ...more] = await noticesOf(who, arrest.id);
      expect(more).toEqual([]);
      expect(notice).toMatchObject({
        eventType: EVENT,
        recordType: 'arrest',
        recordId: arrest.id,
        reference: null,
        payload: {
          arrestId: arrest.id,
          arrestingCountry: 'KH',
          changedFields: ['place', 'grounds'],
          correctedAt: expect.any(String),
        },
      });
      // The fields' names, never what they held or hold.
      expect(JSON.stringify(notice)).not.toMatch(/Building|gambling|fraud/);
    }
    // Not MY (it reads nothing of the arrest), not KH (whose correction it is).
    expect(await noticesOf(tf['my.officer'], arrest.id)).toEqual([]);
    expect(await noticesOf(tf['my.liaison'], arrest.id)).toEqual([]);
    expect(await noticesOf(tf['kh.liaison'], arrest.id)).toEqual([]);
    await tf['my.officer'].get(`/arrests/${arrest.id}`).expect(404);
    expect(corrected.body.sharedWith).toEqual(['KR']);

    // KR's webhook subscribed to it is delivered it; MY's is not.
    const delivery = await deliveryAbout(t, krSub, arrest.id);
    expect(delivery).toMatchObject({ status: 'pending' });
    expect(await deliveryAbout(t, mySub, arrest.id)).toBeUndefined();
    await t.app.get(WebhookDeliveryService).attempt(delivery!.id);
    const [hit] = hooks.about(arrest.id);
    expect(JSON.parse(hit!.body)).toMatchObject({ type: EVENT, recordType: 'arrest', recordId: arrest.id });
    expect(await deliveryAbout(t, krSub, arrest.id)).toMatchObject({ status: 'delivered' });
  });

  it('the nationality is refused while a sent repatriation request names the arrest; other fields are corrected and told', async () => {
    const arrest = await khArrest({ nationality: 'KR' });
    const request = await repatriation(tf['kh.officer'], arrest.id, 'KR', tf.cambodiaKoreaFramework);
    const sent = await send('kh', request.id, request.version);

    const refused = await correct(tf['kh.officer'], arrest.id, {
      version: arrest.version,
      nationality: 'MY',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(sent.reference);
    expect(refused.body.detail).toContain('nationality');
    expect(await arrestAs(tf['kr.officer'], arrest.id)).toMatchObject({ nationality: 'KR' });
    expect(await arrestAs(tf['kh.officer'], arrest.id)).toMatchObject({ version: arrest.version });

    await correct(tf['kh.officer'], arrest.id, {
      version: arrest.version,
      arrestedAt: '2026-03-01T03:10:00Z',
    }).expect(200);
    expect((await arrestAs(tf['kr.officer'], arrest.id)).arrestedAt).toBe('2026-03-01T03:10:00.000Z');
    expect((await noticesOf(tf['kr.liaison'], arrest.id)).map((x) => x.payload.changedFields)).toEqual([
      ['arrestedAt'],
    ]);

    // Withdrawn, the request no longer opens the arrest to KR: the nationality is corrected, and KR
    // neither reads it nor is told of it; the withdrawn request still shows KR the row as it was sent.
    const current = (await tf['kh.officer'].get(`/repatriation-requests/${request.id}`).expect(200)).body;
    await step(tf['kh.officer'], request.id, 'withdraw', current.version).expect(200);
    const now = await arrestAs(tf['kh.officer'], arrest.id);
    await correct(tf['kh.officer'], arrest.id, { version: now.version, nationality: 'MY' }).expect(200);
    await tf['kr.officer'].get(`/arrests/${arrest.id}`).expect(404);
    expect(
      await t.dataSource.query(
        `SELECT country_code, payload->'changedFields' AS fields FROM notification WHERE record_id = $1`,
        [arrest.id],
      ),
    ).toEqual([{ country_code: 'KR', fields: ['arrestedAt'] }]);
    const asKr = (await tf['kr.liaison'].get(`/repatriation-requests/${request.id}`).expect(200)).body;
    expect(asKr.persons[0]).toMatchObject({ arrestId: arrest.id, nationality: 'KR', custodyStatus: null });
  });

  it('writes one audit event per correction, with the fields changed and their values before and after', async () => {
    const arrest = await khArrest({ nationality: 'KR' });
    await correct(tf['kh.officer'], arrest.id, {
      version: arrest.version,
      nationality: 'MY',
      place: PLACE, // unchanged: not a change
      arrestingAgency: 'Cambodian National Police, Sihanoukville',
    }).expect(200);
    // Refused corrections record no correction.
    await correct(tf['kh.officer'], arrest.id, { version: arrest.version, place: 'Stale' }).expect(409);
    const events = (
      await tf['kh.auditor']
        .get(`/audit-events?recordType=arrest&recordId=${arrest.id}&limit=200`)
        .expect(200)
    ).body.items as Array<{ action: string; changes: unknown; details: unknown; ownerCountry: string }>;
    const corrections = events.filter((e) => e.action === 'arrest.correct');
    expect(corrections).toEqual([
      expect.objectContaining({
        ownerCountry: 'KH',
        changes: {
          before: { nationality: 'KR', arrestingAgency: 'Cambodian National Police' },
          after: { nationality: 'MY', arrestingAgency: 'Cambodian National Police, Sihanoukville' },
        },
        details: { changedFields: ['arrestingAgency', 'nationality'] },
      }),
    ]);
  });

  it('a time moved onto a day the person’s arrest is already recorded is a duplicate (409) unless allowed', async () => {
    const first = await khArrest({
      person: {
        names: [{ full: 'SOK Twice', script: 'latin', kind: 'primary' }],
        documents: [{ type: 'passport', number: 'N0123987', issuingCountry: 'KH' }],
      },
    });
    const personId = (await arrestAs(tf['kh.officer'], first.id)) as unknown as { person: { id: string } };
    const second = await khArrest({
      arrestedAt: '2026-03-05T02:30:00Z',
      person: undefined,
      personId: personId.person.id,
    });
    // Within its own day: no question of a duplicate.
    const moved = await correct(tf['kh.officer'], second.id, {
      version: second.version,
      arrestedAt: '2026-03-05T09:00:00Z',
    }).expect(200);
    const onto = { version: moved.body.version, arrestedAt: '2026-03-01T08:00:00+07:00' };
    const duplicate = await correct(tf['kh.officer'], second.id, onto);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      type: 'urn:case-desk:problem:duplicate-arrests',
      errors: [{ field: 'arrestedAt', message: expect.stringContaining('2026-03-01') }],
    });
    expect((await arrestAs(tf['kh.officer'], second.id)).arrestedAt).toBe('2026-03-05T09:00:00.000Z');
    await correct(tf['kh.officer'], second.id, onto, '?allowDuplicates=true').expect(200);
    expect((await arrestAs(tf['kh.officer'], second.id)).arrestedAt).toBe('2026-03-01T01:00:00.000Z');
  });

  it('bad input is a 400 with a machine-readable body, never a 500, and changes nothing', async () => {
    const arrest = await khArrest();
    const myCase = (await tf['my.officer'].post('/cases', { title: 'A case of MY' }).expect(201)).body.id;
    const v = arrest.version;
    const bodies: Array<[string, unknown, string?]> = [
      ['empty body', {}],
      ['version alone', { version: v }],
      ['NUL byte', { version: v, place: 'Building\u0000C' }],
      ['version as a string', { version: String(v), place: 'Building D' }],
      ['nationality as a number', { version: v, nationality: 5 }],
      ['unknown country', { version: v, nationality: 'XX' }],
      ['lower-case country', { version: v, nationality: 'my' }],
      ['place cleared', { version: v, place: null }],
      ['grounds as a list', { version: v, grounds: ['fraud'] }],
      ['coordinates of text', { version: v, coordinates: { latitude: 'north', longitude: 103.5 } }],
      ['an unknown field', { version: v, place: 'Building D', custodyStatus: 'released' }],
      ['the person (the person record’s own)', { version: v, personId: randomUUID() }],
      ['not a time', { version: v, arrestedAt: '1 March' }],
      ['in the future', { version: v, arrestedAt: '2999-01-01T00:00:00Z' }],
      ['before the desk’s time (a typo of the year)', { version: v, arrestedAt: '0206-03-01T00:00:00Z' }],
      ['another country’s case', { version: v, caseId: myCase }],
      ['the value it holds', { version: v, place: PLACE }],
      ['a list for a body', [{ version: v }]],
      ['allowDuplicates not a boolean', { version: v, place: 'Building D' }, '?allowDuplicates=yes'],
    ];
    const answers: string[] = [];
    for (const [what, body, query] of bodies) {
      const res = await request(t.server)
        .patch(`/api/v1/arrests/${arrest.id}${query ?? ''}`)
        .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
      const problem =
        res.status === 400 &&
        String(res.headers['content-type']).startsWith('application/problem+json') &&
        typeof res.body.type === 'string' &&
        Array.isArray(res.body.errors) &&
        res.body.errors.length > 0;
      if (!problem) answers.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(answers).toEqual([]);
    expect(await arrestAs(tf['kh.officer'], arrest.id)).toMatchObject({
      version: v,
      place: PLACE,
      nationality: 'KR',
    });
  });
});
