import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { signIn, type SignedIn } from '../support/http';
import { download, upload } from '../attachments/attachment-support';
import { inboxOf } from './r23-support';

const STATEMENT = Buffer.from('the witness statement, plain text');

/**
 * Probe r23: KR shares a case (a person with a phone, a file) with KH, then revokes the share. Every path
 * KH had to the case must close at once: the view, the list and its search, the files (a download begun
 * with a Range before the revocation and continued after it), the bundle, the person, "seen in", the
 * correlation alert the share raised for KH's lead officer, a webhook delivery of that alert queued
 * before the revocation and sent after it, and KH's auditors' trail of what KR did afterwards.
 */
describe('A revoked case share closes every path at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let hooks: SignedIn;
  const phone = '+85512309951';
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    // A KH admin who is also an officer: its webhook subscription hears of what an officer may read.
    await t.dataSource.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       SELECT 'kh.hooks.r23', 'kh.hooks.r23', agency_id, country_code, '{admin,officer}', password_hash
         FROM app_user WHERE username = 'kh.admin'`,
    );
    hooks = await signIn(t.server, 'kh.hooks.r23');
  });
  afterAll(() => t?.close());

  const person = (who: SignedIn, full: string) =>
    who
      .post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }], phones: [phone] })
      .expect(201);

  it('view, list, search, files, bundle, person, seen-in, inbox, webhook and audit trail', async () => {
    const kh = tf['kh.officer'];
    // KH's own open case holds the phone: the share will raise a correlation alert for its lead.
    const khPerson = (await person(kh, 'KH HOLDER R23')).body;
    await kh
      .post('/cases', { title: 'KH call centre', persons: [{ personId: khPerson.id, role: 'suspect' }] })
      .expect(201);
    const sub = (
      await hooks
        .post('/webhooks', {
          url: 'https://example.org/hook',
          eventTypes: ['identifier.correlation'],
          secret: 'a webhook secret that is long enough 0123456789',
        })
        .expect(201)
    ).body.id as string;

    const krPerson = (await person(tf['kr.officer'], 'VANNAK R23 SUBJECT')).body;
    let krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Shared r23', persons: [{ personId: krPerson.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const file = (
      await upload(t, tf['kr.officer'], `/cases/${krCase.id}/attachments`, STATEMENT, 'statement.txt').expect(
        201,
      )
    ).body;
    await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'KH', handlingCode: 'GREEN' })
      .expect(201);

    // While shared: KH reads all of it.
    const asKh = (await kh.get(`/cases/${krCase.id}`).expect(200)).body;
    const shareRef = asKh.reference as string;
    expect((await kh.get(`/cases?q=${encodeURIComponent(shareRef)}`).expect(200)).body.items).toHaveLength(1);
    const begun = await download(t, kh, file.id, { Range: 'bytes=0-6' }).expect(206);
    expect(begun.body).toEqual(STATEMENT.subarray(0, 7));
    await kh.get(`/cases/${krCase.id}/bundle`).expect(200);
    await kh.get(`/persons/${krPerson.id}`).expect(200);
    const seenWhileShared = await kh
      .get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`)
      .expect(200);
    expect(JSON.stringify(seenWhileShared.body)).toContain(krPerson.id);
    const [alert] = (await inboxOf(kh, 'identifier.correlation')).filter((n) => n.recordId === krCase.id);
    expect(alert).toBeDefined();
    const [delivery] = await t.dataSource.query(
      `SELECT d.id FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
        WHERE d.subscription_id = $1 AND n.record_id = $2 AND d.status = 'pending'`,
      [sub, krCase.id],
    );
    expect(delivery).toBeDefined();

    await tf['kr.liaison'].delete(`/cases/${krCase.id}/shares/KH`).expect(200);
    // KR edits the case afterwards: KH's auditors must not read that.
    krCase = (
      await tf['kr.officer']
        .patch(`/cases/${krCase.id}`, { title: 'After the revocation', version: krCase.version })
        .expect(200)
    ).body;

    await kh.get(`/cases/${krCase.id}`).expect(404);
    const list = (await kh.get('/cases?limit=100').expect(200)).body;
    expect(JSON.stringify(list)).not.toContain(krCase.id);
    expect((await kh.get(`/cases?q=${encodeURIComponent(shareRef)}`).expect(200)).body.items).toEqual([]);
    await kh.get(`/cases/${krCase.id}/attachments`).expect(404);
    await kh.get(`/attachments/${file.id}`).expect(404);
    await download(t, kh, file.id, { Range: 'bytes=7-' }).expect(404);
    await kh.post(`/attachments/${file.id}/verify`).expect(404);
    await kh.get(`/cases/${krCase.id}/bundle`).expect(404);
    await kh.get(`/persons/${krPerson.id}`).expect(404);
    const byName = (await kh.get(`/persons?name=${encodeURIComponent('VANNAK R23')}`).expect(200)).body;
    expect(JSON.stringify(byName)).not.toContain(krPerson.id);
    const seen = await kh
      .get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`)
      .expect(200);
    expect(JSON.stringify(seen.body)).not.toContain(krCase.id);
    expect(JSON.stringify(seen.body)).not.toContain(krPerson.id);
    expect((await inboxOf(kh, 'identifier.correlation')).filter((n) => n.recordId === krCase.id)).toEqual([]);
    await kh.post(`/notifications/${alert!.id}/read`).expect(404);

    // The webhook delivery queued while the case was shared is never sent.
    const received: string[] = [];
    const server: Server = createServer((req, res) => {
      req.on('data', (c) => received.push(String(c)));
      req.on('end', () => res.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      await t.dataSource.query(`UPDATE webhook_subscription SET url = $2 WHERE id = $1`, [sub, url]);
      await t.app.get(WebhookDeliveryService).attempt(delivery.id);
    } finally {
      await new Promise((r) => server.close(() => r(undefined)));
    }
    expect(received).toEqual([]);
    const [row] = await t.dataSource.query(`SELECT status FROM webhook_delivery WHERE id = $1`, [
      delivery.id,
    ]);
    expect(row.status).toBe('failed');

    // KH's auditors: nothing KR did after the revocation.
    const trail = (
      await tf['kh.auditor'].get(`/audit-events/timeline?recordType=case&recordId=${krCase.id}`).expect(200)
    ).body;
    const items = (Array.isArray(trail) ? trail : trail.items) as Array<{ action: string }>;
    expect(items.map((e) => e.action)).toContain('case.share');
    expect(items.map((e) => e.action)).not.toContain('case.update');
    expect(JSON.stringify(trail)).not.toContain('After the revocation');
  });
});
