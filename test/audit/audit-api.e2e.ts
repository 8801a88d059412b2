import { createPublicKey, verify as verifySignature } from 'node:crypto';
import request from 'supertest';
import { checkpointPayload } from '../../src/audit/audit-canonical';
import { systemContext } from '../../src/common/request-context';
import { createTestApp, TestApp } from '../support/test-app';
import { signIn, SignedIn } from '../support/http';
import { officerContext } from './fixtures';
import { aSigningKeyPem, auditServices, recordEvents } from './support';

const BASE = '/api/v1/audit-events';

function rawText(res: any, callback: (error: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding?.('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => callback(null, text));
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (quoted) field += ch;
    else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('Auditor API: scope, pagination, timeline, export, checkpoints, verification', () => {
  let t: TestApp;
  let auditor: SignedIn;
  let officer: SignedIn;
  let operator: SignedIn;
  let fixturesFrom: string;
  const asAuditor = () => ({ Authorization: `Bearer ${auditor.tokens.accessToken}` });
  beforeAll(async () => {
    t = await createTestApp({}, { AUDIT_SEAL_INTERVAL_MS: '0', AUDIT_SIGNING_KEY: aSigningKeyPem() });
    auditor = await signIn(t.server, 'my.auditor');
    officer = await signIn(t.server, 'my.officer');
    operator = await signIn(t.server, 'platform.admin');
    // The demo data and these sign-ins are events too; the first test looks at what follows them.
    fixturesFrom = new Date().toISOString();
    const { tx, audit } = auditServices(t);
    const record = (ctx: Parameters<typeof audit.record>[0], event: Parameters<typeof audit.record>[1]) =>
      tx.run(() => audit.record(ctx, event));
    // In scope for an MY auditor: MY acts, MY owns, MY is the counterpart.
    await record(officerContext('MY'), {
      action: 'case.create',
      recordType: 'case',
      recordId: 'MY-1',
      ownerCountry: 'MY',
    });
    await record(officerContext('KR'), {
      action: 'case.share',
      recordType: 'case',
      recordId: 'MY-2',
      ownerCountry: 'MY',
    });
    await record(officerContext('KR'), {
      action: 'screening.alert.raise',
      recordType: 'screening_alert',
      recordId: 'KR-ALERT-1',
      ownerCountry: 'KR',
      counterpartCountry: 'MY',
    });
    await record(systemContext('deadline-job'), {
      action: 'request.overdue',
      recordType: 'request',
      recordId: 'MY-REQ-9',
      ownerCountry: 'MY',
    });
    // Out of scope: KR and KH only, and a request MY is the counterpart of that was never sent to MY
    // (the counterpart reads a request's events from its `approve` on: sharing-reads.e2e-spec.ts).
    await record(officerContext('KR'), {
      action: 'request.create',
      recordType: 'request',
      recordId: 'KR-REQ-1',
      ownerCountry: 'KR',
      counterpartCountry: 'MY',
    });
    await record(officerContext('KR'), {
      action: 'case.create',
      recordType: 'case',
      recordId: 'KR-1',
      ownerCountry: 'KR',
    });
    await record(officerContext('KH'), {
      action: 'request.send',
      recordType: 'request',
      recordId: 'KH-REQ-1',
      ownerCountry: 'KH',
      counterpartCountry: 'KR',
    });
    await record(systemContext('deadline-job'), {
      action: 'request.overdue',
      recordType: 'request',
      recordId: 'KH-REQ-2',
      ownerCountry: 'KH',
    });
    await record(officerContext('KR'), {
      action: 'case.update',
      recordType: 'case',
      recordId: 'MY-1',
      ownerCountry: 'MY',
      before: { status: 'open' },
      after: { status: 'closed' },
    });
  });
  afterAll(() => t?.close());

  it('shows an MY auditor the events MY acted in, owns or is the counterpart of (where it may read the record), newest first, and nothing KR/KH only', async () => {
    const res = await request(t.server).get(BASE).query({ from: fixturesFrom }).set(asAuditor()).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((e: { recordId: string }) => e.recordId)).toEqual([
      'MY-1',
      'MY-REQ-9',
      'KR-ALERT-1',
      'MY-2',
      'MY-1',
    ]);
    // Newest first; each event named by an opaque id, never its row number, which counts every
    // country's events (probe, fourth round).
    const times = res.body.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    for (const e of res.body.items) expect(e.id).toMatch(/^evt_[A-Za-z0-9_-]{22}$/);
    expect(new Set(res.body.items.map((e: { id: string }) => e.id)).size).toBe(res.body.items.length);
    expect(res.body.items[0]).toMatchObject({
      action: 'case.update',
      actor: { kind: 'user', country: 'KR', roles: ['officer'] },
      changes: { before: { status: 'open' }, after: { status: 'closed' } },
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      seal: null,
    });
    expect(Object.keys(res.body.items[0])).not.toContain('tx_id');
  });

  it('pages with limit and cursor, filters, and refuses bad parameters', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.server)
        .get(BASE)
        .query({ limit: 2, action: 'case.create', ...(cursor ? { cursor } : {}) })
        .set(asAuditor())
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((e: { recordId: string }) => e.recordId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['MY-1']);

    const page = await request(t.server)
      .get(BASE)
      .query({ limit: 2, recordType: 'case' })
      .set(asAuditor())
      .expect(200);
    expect(page.body.items).toHaveLength(2);
    const next = await request(t.server)
      .get(BASE)
      .query({ limit: 2, recordType: 'case', cursor: page.body.nextCursor })
      .set(asAuditor())
      .expect(200);
    expect(next.body.items.map((e: { recordId: string }) => e.recordId)).toEqual(['MY-1']);
    expect(next.body.nextCursor).toBeNull();
    // The cursor is sealed, not a row number in base64 (probe, fourth round): a forged one is a 400.
    expect(Buffer.from(page.body.nextCursor, 'base64url').toString('utf8')).not.toMatch(/^\d+$/);
    const forged = await request(t.server)
      .get(BASE)
      .query({ recordType: 'case', cursor: Buffer.from('556').toString('base64url') })
      .set(asAuditor())
      .expect(400);
    expect(forged.body.errors[0].field).toBe('cursor');

    const byActor = await request(t.server)
      .get(BASE)
      .query({ actor: 'officer.my' })
      .set(asAuditor())
      .expect(200);
    expect(byActor.body.items.map((e: { action: string }) => e.action)).toEqual(['case.create']);
    const future = await request(t.server)
      .get(BASE)
      .query({ from: '2999-01-01T00:00:00Z' })
      .set(asAuditor())
      .expect(200);
    expect(future.body.items).toEqual([]);

    for (const query of [
      { limit: 201 },
      { limit: 0 },
      { cursor: '!!' },
      { cursor: 'YWJj' },
      { outcome: 'maybe' },
      { from: 'yesterday' },
      { country: 'KR' },
    ]) {
      const bad = await request(t.server).get(BASE).query(query).set(asAuditor());
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('answers 401 without a user and 403 for a role without audit.read', async () => {
    await request(t.server).get(BASE).expect(401);
    await request(t.server)
      .get(BASE)
      .set({ Authorization: `Bearer ${officer.tokens.accessToken}` })
      .expect(403);
    await request(t.server).post(`${BASE}/verify`).send({}).expect(401);
  });

  it('gives a record timeline oldest first within the scope', async () => {
    const res = await request(t.server)
      .get(`${BASE}/timeline`)
      .query({ recordType: 'case', recordId: 'MY-1' })
      .set(asAuditor())
      .expect(200);
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['case.create', 'case.update']);
    const hidden = await request(t.server)
      .get(`${BASE}/timeline`)
      .query({ recordType: 'case', recordId: 'KR-1' })
      .set(asAuditor())
      .expect(200);
    expect(hidden.body).toEqual({ items: [], nextCursor: null });
    await request(t.server)
      .get(`${BASE}/timeline`)
      .query({ recordType: 'case' })
      .set(asAuditor())
      .expect(400);
  });

  describe('export of a few thousand events', () => {
    const tricky = 'Phnom Penh, "Building 5"\nfloor =2';
    beforeAll(async () => {
      await t.dataSource.query(
        `INSERT INTO audit_event (actor_kind, actor_username, actor_country, action, outcome, record_type, record_id, owner_country, details)
         SELECT 'user', 'officer.kr', 'KR', 'person.screen', 'success', 'person', 'P-' || g,
                CASE WHEN g % 2 = 0 THEN 'MY' ELSE 'KR' END, jsonb_build_object('n', g)
           FROM generate_series(1, 5000) AS g`,
      );
      await recordEvents(t, officerContext('MY'), 1, () => ({
        action: 'person.screen',
        recordType: 'person',
        recordId: '=HYPERLINK("x")',
        ownerCountry: 'MY',
        details: { note: tricky },
      }));
      await auditServices(t).sealer.sealNow({ drain: true });
    });

    it('streams NDJSON, oldest first, only in scope', async () => {
      const res = await request(t.server)
        .get(`${BASE}/export`)
        .query({ action: 'person.screen' })
        .set(asAuditor())
        .buffer(true)
        .parse(rawText)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      // Partners' text, downloaded: never rendered with scripts even if a client shows it inline.
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      const lines = (res.body as string).split('\n');
      expect(lines.pop()).toBe('');
      const events = lines.map((line) => JSON.parse(line));
      expect(events).toHaveLength(2501);
      expect(events.every((e) => e.ownerCountry === 'MY' || e.actor.country === 'MY')).toBe(true);
      const times = events.map((e) => e.occurredAt as string);
      expect([...times].sort()).toEqual(times);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(events[events.length - 1]).toMatchObject({
        details: { note: tricky },
        seal: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      // No chain position: the chain counts every country's events.
      expect(events.some((e) => 'seq' in (e.seal ?? {}))).toBe(false);
    });

    it('streams CSV when asked, quoting what needs it and defusing formulas', async () => {
      const res = await request(t.server)
        .get(`${BASE}/export`)
        .query({ action: 'person.screen' })
        .set(asAuditor())
        .set('Accept', 'text/csv')
        .buffer(true)
        .parse(rawText)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-events-.*\.csv"/);
      const rows = parseCsv(res.body as string);
      const [header, ...data] = rows;
      expect(header.slice(0, 3)).toEqual(['id', 'occurredAt', 'actorKind']);
      expect(data).toHaveLength(2501);
      expect(data.every((row) => row.length === header.length)).toBe(true);
      const last = Object.fromEntries(header.map((name, i) => [name, data[data.length - 1][i]]));
      expect(last.recordId).toBe(`'=HYPERLINK("x")`);
      expect(JSON.parse(last.details)).toEqual({ note: tricky });
      expect(last.sealHash).toMatch(/^[0-9a-f]{64}$/);
      expect(header).not.toContain('sealSeq');
    });
  });

  it('lists signed checkpoints to the platform operator, which an outside party verifies with the published public key', async () => {
    await auditServices(t).sealer.sealNow({ drain: true, checkpoint: true });
    const asOperator = { Authorization: `Bearer ${operator.tokens.accessToken}` };
    // A country's auditor reads no checkpoint: its seq counts every country's events.
    await request(t.server).get(`${BASE}/checkpoints`).set(asAuditor()).expect(403);
    await request(t.server).get(`${BASE}/checkpoints/latest`).set(asAuditor()).expect(403);
    const list = await request(t.server).get(`${BASE}/checkpoints`).set(asOperator).expect(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
    const latest = await request(t.server).get(`${BASE}/checkpoints/latest`).set(asOperator).expect(200);
    expect(latest.body.checkpoint).toEqual(list.body.items[0]);
    const key = await request(t.server).get(`${BASE}/checkpoints/public-key`).set(asAuditor()).expect(200);
    expect(key.body).toMatchObject({
      algorithm: 'Ed25519',
      keyId: latest.body.checkpoint.keyId,
      retentionYears: 7,
    });

    const { seq, hash, signedAt, signature } = latest.body.checkpoint;
    const payload = checkpointPayload(String(seq), Buffer.from(hash, 'hex'), signedAt);
    expect(
      verifySignature(
        null,
        payload,
        createPublicKey(key.body.publicKeyPem),
        Buffer.from(signature, 'base64'),
      ),
    ).toBe(true);
  });

  it('verifies the chain on request: an auditor learns that it holds, the operator also how far; a bad body is refused', async () => {
    const res = await request(t.server).post(`${BASE}/verify`).set(asAuditor()).send({}).expect(200);
    expect(res.body).toEqual({ ok: true, reason: null });
    // A range would let an auditor count the other countries' events by bisection.
    const ranged = await request(t.server)
      .post(`${BASE}/verify`)
      .set(asAuditor())
      .send({ toSeq: 3 })
      .expect(400);
    expect(ranged.body.errors[0].field).toBe('toSeq');
    const asOperator = { Authorization: `Bearer ${operator.tokens.accessToken}` };
    const whole = await request(t.server).post(`${BASE}/verify`).set(asOperator).send({}).expect(200);
    expect(whole.body).toMatchObject({ ok: true, firstBadSeq: null, reason: null });
    expect(whole.body.checkedEvents).toBeGreaterThan(2500);
    const part = await request(t.server)
      .post(`${BASE}/verify`)
      .set(asOperator)
      .send({ fromSeq: 2, toSeq: 3 })
      .expect(200);
    expect(part.body).toMatchObject({ ok: true, checkedEvents: 2 });
    await request(t.server).post(`${BASE}/verify`).set(asAuditor()).send({ fromSeq: 0 }).expect(400);
    await request(t.server).post(`${BASE}/verify`).set(asAuditor()).send({ everything: true }).expect(400);
  });

  it('records every read of the trail as an audit event of its own', async () => {
    const rows = await t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_event WHERE actor_username = 'my.auditor' GROUP BY action ORDER BY action`,
    );
    const counts = Object.fromEntries(rows.map((r: { action: string; n: number }) => [r.action, r.n]));
    expect(counts['audit.read']).toBeGreaterThanOrEqual(8);
    expect(counts['audit.export']).toBe(2);
    expect(counts['audit.verify']).toBe(1);
    const [exported] = await t.dataSource.query(
      `SELECT details, owner_country FROM audit_event WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(exported).toMatchObject({
      owner_country: 'MY',
      details: { format: 'csv', filters: { action: 'person.screen' } },
    });
  });
});
