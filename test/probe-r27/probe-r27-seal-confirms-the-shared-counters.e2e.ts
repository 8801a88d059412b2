import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { eventHash, type CanonicalEventRow } from '../../src/audit/audit-canonical';
import type { AuditEventResponse } from '../../src/audit/audit.mappers';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/** An audit event as the API answers it. */
type ShownEvent = AuditEventResponse;

/** The hashed form of an event from what its reader is shown, and the two numbers it is not shown. */
const hashedForm = (e: ShownEvent, rowId: string, txId: string, salt: string | null): CanonicalEventRow => ({
  id: rowId,
  occurred_at: e.occurredAt,
  tx_id: txId,
  actor_kind: e.actor.kind,
  actor_user_id: e.actor.userId,
  actor_username: e.actor.username,
  actor_agency_id: e.actor.agencyId,
  actor_country: e.actor.country,
  actor_roles: e.actor.roles,
  action: e.action,
  outcome: e.outcome,
  record_type: e.recordType,
  record_id: e.recordId,
  owner_country: e.ownerCountry,
  counterpart_country: e.counterpartCountry,
  changes: e.changes,
  details: e.details,
  request_id: e.requestId,
  source_ip: e.sourceIp,
  user_agent: e.userAgent,
  salt,
});

/**
 * Probe r27: an event's row id counts every country's events in one sequence, and its transaction id
 * every transaction of the server; neither is shown to an auditor (the event is named `evt_…`, the
 * cursor sealed, the chain position withheld: README "Audit trail"), because their gaps would tell a
 * country how much the others did. Both are hashed into the chain, and an auditor reading its own
 * country's events got their hash AND their salt: with everything else of the event shown, the hash
 * confirms a guess of the two numbers. A guess confirmed once, the next events' numbers are a small
 * search away, and the trail becomes an exact meter of the other countries' activity between any two of
 * the auditor's own events. (The salt exists to stop exactly such guessing of withheld fields: migration
 * 1763800025000.)
 */
describe('Probe r27: an own event’s seal does not confirm guesses of the shared row and transaction numbers', () => {
  let t: TestApp;
  let officer: SignedIn;
  let auditor: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    officer = await signIn(t.server, 'kr.officer');
    auditor = await signIn(t.server, 'kr.auditor');
  }, 60_000);
  afterAll(() => t?.close());

  it('shows KR’s auditor no seal of two consecutive KR events that the true numbers reproduce', async () => {
    // Two events of KR's, one after the other: nothing of another country between them in the chain.
    const first = (await officer.post('/cases', { title: 'First' }).expect(201)).body as { id: string };
    const second = (await officer.post('/cases', { title: 'Second' }).expect(201)).body as { id: string };
    await t.app.get(AuditSealerService).sealNow({ drain: true });
    const shown = (await auditor.get('/audit-events?action=case.create&limit=2').expect(200)).body
      .items as ShownEvent[];
    const [later, earlier] = shown;
    expect([later.recordId, earlier.recordId]).toEqual([second.id, first.id]);

    // What the database holds of them (what a guesser would have to find): row, transaction, position.
    const [row] = await t.dataSource.query(
      `SELECT e.id::text AS id, e.tx_id::text AS tx, e.salt::text AS salt, c.seq::text AS seq,
              (SELECT p.event_id::text FROM audit_chain p WHERE p.seq = c.seq - 1) AS previous
         FROM audit_event e JOIN audit_chain c ON c.event_id = e.id
        WHERE e.action = 'case.create' AND e.record_id = $1`,
      [second.id],
    );
    const [previous] = await t.dataSource.query(
      `SELECT e.record_id::text AS record, encode(c.hash, 'hex') AS hash
         FROM audit_event e JOIN audit_chain c ON c.event_id = e.id WHERE e.id = $1::bigint`,
      [row.previous],
    );
    // The scene is as described: the earlier case's creation is the link before the later one's.
    expect(previous.record).toBe(first.id);
    // The test's construction of the chain is right: with the salt as stored, the true numbers and the
    // previous link reproduce the stored hash of the later event.
    const [stored] = await t.dataSource.query(
      `SELECT encode(hash, 'hex') AS hash FROM audit_chain WHERE seq = $1::bigint`,
      [row.seq],
    );
    expect(
      eventHash(Buffer.from(previous.hash, 'hex'), hashedForm(later, row.id, row.tx, row.salt)).toString(
        'hex',
      ),
    ).toBe(stored.hash);

    // The auditor's answer, with the true numbers plugged in, must not reproduce what it shows: else a
    // guess of them can be tested offline, as many times as the guesser likes.
    const fromAnswer = (e: ShownEvent) => (e.seal?.hash ? Buffer.from(e.seal.hash, 'hex') : Buffer.alloc(32));
    const confirmed =
      later.seal?.hash !== null &&
      later.seal?.hash !== undefined &&
      eventHash(fromAnswer(earlier), hashedForm(later, row.id, row.tx, later.seal?.salt ?? null)).toString(
        'hex',
      ) === later.seal.hash;
    console.log(
      `r27 seal: row id ${row.id}, transaction ${row.tx}; the answer ${confirmed ? 'confirms' : 'does not confirm'} them`,
    );
    expect(confirmed).toBe(false);
    // The seal still names the event's link as a fingerprint (compared with the operator's records).
    expect(later.seal?.hash).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
