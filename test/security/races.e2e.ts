import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { raceCounter, successfulActions } from './race-support';

/**
 * Issue 10, suite 5: plain concurrency on one request, and Idempotency-Key storms. Each race ends in one
 * outcome, with the winner's audit event and none for the losers. Concurrent creates (references,
 * duplicate freeze targets) are in create-races.e2e-spec.ts.
 */
describe('Races', () => {
  let t: TestApp;
  let tf: TaskForce;
  const races = raceCounter('races');
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(async () => {
    races.report();
    await t?.close();
  });

  const base = '/information-requests';

  async function submitted() {
    const r = (await tf['kr.officer'].post(base, aDraft(tf.cambodiaKoreaFramework)).expect(201)).body;
    const s = (await tf['kr.officer'].post(`${base}/${r.id}/submit`, { version: r.version }).expect(200))
      .body;
    return s as { id: string; version: number };
  }

  const successes = (id: string) => successfulActions(t.dataSource, id);

  it('approve, return and withdraw at once on a submitted request: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await submitted();
      const body = { version: r.version, reason: 'Outside our jurisdiction' };
      const [approve, ret, withdraw, reject] = await races.burst([
        tf['kr.liaison'].post(`${base}/${r.id}/approve`, { version: r.version }),
        tf['kr.liaison2'].post(`${base}/${r.id}/return`, { version: r.version }),
        tf['kr.officer'].post(`${base}/${r.id}/withdraw`, { version: r.version }),
        tf['kh.liaison'].post(`${base}/${r.id}/reject`, body),
      ]);
      const statuses = [approve.status, ret.status, withdraw.status];
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
      const winner = ['approve', 'return', 'withdraw'][statuses.indexOf(200)];
      // The target never acts on it: 404 while it is not sent; if the approval committed first, KH
      // sees a sent request whose version moved on, and gets 409.
      expect(winner === 'approve' ? [404, 409] : [404]).toContain(reject.status);
      const history = (await tf['kr.officer'].get(`${base}/${r.id}/history`).expect(200)).body;
      expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'submit', winner]);
      expect(await successes(r.id)).toEqual(['request.create', 'request.submit', `request.${winner}`]);
    }
  });

  it('accept, reject and withdraw at once on a sent request: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const s = await submitted();
      const r = (await tf['kr.liaison'].post(`${base}/${s.id}/approve`, { version: s.version }).expect(200))
        .body;
      const [accept, reject, withdraw] = await races.burst([
        tf['kh.liaison'].post(`${base}/${r.id}/accept`, { version: r.version }),
        tf['kh.liaison2'].post(`${base}/${r.id}/reject`, { version: r.version, reason: 'No grounds' }),
        tf['kr.officer'].post(`${base}/${r.id}/withdraw`, { version: r.version }),
      ]);
      const statuses = [accept.status, reject.status, withdraw.status];
      expect(statuses.filter((x) => x === 200)).toHaveLength(1);
      expect(statuses.filter((x) => x !== 200).every((x) => x === 409)).toBe(true);
      const winner = ['accept', 'reject', 'withdraw'][statuses.indexOf(200)];
      const history = (await tf['kr.officer'].get(`${base}/${r.id}/history`).expect(200)).body;
      expect(history.map((h: { action: string }) => h.action)).toEqual([
        'create',
        'submit',
        'approve',
        winner,
      ]);
      expect(await successes(r.id)).toEqual([
        'request.create',
        'request.submit',
        'request.approve',
        `request.${winner}`,
      ]);
    }
  });

  const storm = (key: string, bodies: object[]) =>
    races.burst(
      bodies.map((body) =>
        request(t.server)
          .post('/api/v1/persons')
          .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
          .set('Idempotency-Key', key)
          .send(body),
      ),
    );
  const aPerson = (full: string) => ({ names: [{ full, script: 'latin', kind: 'primary' }] });
  /** Persons whose names contain `marker`, and their creation events. */
  async function personsNamed(marker: string) {
    const rows: Array<{ id: string; name: string; events: number }> = await t.dataSource.query(
      `SELECT p.id, p.names -> 0 ->> 'full' AS name,
              (SELECT count(*)::int FROM audit_event e
                WHERE e.record_id = p.id::text AND e.action = 'person.create' AND e.outcome = 'success') AS events
         FROM person p WHERE p.names::text LIKE '%' || $1 || '%'`,
      [marker],
    );
    return rows;
  }

  it('20 parallel creates with one Idempotency-Key and body create one record and one audit event', async () => {
    const key = randomUUID();
    const responses = await storm(key, Array(20).fill(aPerson(`Idempotency storm ${key}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ids = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await personsNamed(key)).toEqual([
      { id: [...ids][0], name: `Idempotency storm ${key}`, events: 1 },
    ]);
  });

  it('20 parallel creates with one Idempotency-Key and 5 different bodies: one body wins, the others get 422', async () => {
    for (let round = 0; round < 3; round++) {
      const key = randomUUID();
      const names = Array.from({ length: 5 }, (_, i) => `Storm ${key} body ${i}`);
      const bodies = Array.from({ length: 20 }, (_, i) => aPerson(names[i % 5]!));
      const responses = await storm(key, bodies);
      const persons = await personsNamed(key);
      // Exactly one record, from one of the bodies, with one creation audit event.
      expect(persons).toHaveLength(1);
      const [winner] = persons;
      expect(names).toContain(winner!.name);
      expect(winner!.events).toBe(1);
      responses.forEach((res, i) => {
        const sameBody = names[i % 5] === winner!.name;
        if (!sameBody) {
          expect(res.status).toBe(422);
          expect(res.body.type).toBe('urn:case-desk:problem:idempotency-key-reused');
        } else if (res.status === 201) {
          expect(res.body.id).toBe(winner!.id);
        } else {
          expect(res.status).toBe(409); // the first call was still running
        }
      });
      // The one call that created it, and only that one, is not a replay.
      const created = responses.filter((r) => r.status === 201);
      expect(created.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      // A later retry of a refused body still answers 422; the winner's body replays the first answer.
      const later = await storm(key, [
        aPerson(names.find((n) => n !== winner!.name)!),
        aPerson(winner!.name),
      ]);
      expect(later.map((r) => r.status)).toEqual([422, 201]);
      expect(later[1]!.headers['idempotent-replayed']).toBe('true');
      expect(later[1]!.body.id).toBe(winner!.id);
    }
  });
});
