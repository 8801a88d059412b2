import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { login, signIn, SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import {
  aFreezeDraft,
  aWallet,
  koreaMalaysiaFramework,
  TRON_USDT_WALLET,
} from '../asset-freezes/asset-freeze-scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15, "reads follow the same rule": what a partner-country probe found readable through the
 * audit trail, webhooks, notifications, /stats, /history and error messages, and the denials nobody saw.
 */
describe('Reads follow the same rule (issue 15)', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp(
      {},
      // The webhook test's receiver listens on loopback, which deliveries reach only when allow-listed.
      { AUDIT_SEAL_INTERVAL_MS: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    );
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  async function draft(overrides: object = {}) {
    return (
      await tf['kr.officer']
        .post('/information-requests', aDraft(tf.cambodiaKoreaFramework, overrides))
        .expect(201)
    ).body;
  }

  async function sent(overrides: object = {}, comments: { submit?: string; approve?: string } = {}) {
    const d = await draft(overrides);
    const s = (
      await tf['kr.officer']
        .post(`/information-requests/${d.id}/submit`, { version: d.version, comment: comments.submit })
        .expect(200)
    ).body;
    return (
      await tf['kr.liaison']
        .post(`/information-requests/${d.id}/approve`, { version: s.version, comment: comments.approve })
        .expect(200)
    ).body;
  }

  /**
   * Everything an auditor can read about one record: list, timeline and export (less the auditor's own
   * reads of the trail, which name the record they looked up).
   */
  async function auditorReads(auditor: SignedIn, recordId: string) {
    const list = (await auditor.get(`/audit-events?recordId=${recordId}&limit=200`).expect(200)).body.items;
    const timeline = (
      await auditor
        .get(`/audit-events/timeline?recordType=request&recordId=${recordId}&limit=200`)
        .expect(200)
    ).body.items;
    const exported = await auditor.get(`/audit-events/export?recordId=${recordId}`).buffer(true).expect(200);
    const lines = String(exported.text ?? exported.body)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const aboutTheRecord = (events: Array<{ action: string }>) =>
      events.filter((e) => !e.action.startsWith('audit.'));
    return {
      list: aboutTheRecord(list),
      timeline: aboutTheRecord(timeline),
      exported: aboutTheRecord(lines),
    };
  }

  const actions = (events: Array<{ action: string }>) => events.map((e) => e.action);

  describe('audit trail (4)', () => {
    it('a withdrawn draft never shows to the target country’s auditors: not its subject, not its comment', async () => {
      const d = await draft({ subject: 'Draft-only subject 4a' });
      await tf['kr.officer']
        .post(`/information-requests/${d.id}/withdraw`, { version: d.version, comment: 'Withdrawn 4a' })
        .expect(200);
      const kh = await auditorReads(tf['kh.auditor'], d.id);
      expect(kh.list).toEqual([]);
      expect(kh.timeline).toEqual([]);
      expect(kh.exported).toEqual([]);
      const kr = await auditorReads(tf['kr.auditor'], d.id);
      expect(actions(kr.list)).toEqual(expect.arrayContaining(['request.create', 'request.withdraw']));
    });

    it('the target’s auditors read a request’s events from `sent` on, without the origin’s step comments', async () => {
      const r = await sent(
        { subject: 'Subject 4b' },
        { submit: 'Submit note 4b', approve: 'KH police may be compromised 4b' },
      );
      const kh = await auditorReads(tf['kh.auditor'], r.id);
      for (const events of [kh.list, kh.timeline, kh.exported]) {
        expect(actions(events)).toEqual(['request.approve']);
        const text = JSON.stringify(events);
        expect(text).not.toContain('Subject 4b');
        expect(text).not.toContain('Submit note 4b');
        expect(text).not.toContain('KH police may be compromised');
      }
      // The origin's own auditors keep every event, comments included.
      const kr = await auditorReads(tf['kr.auditor'], r.id);
      expect(JSON.stringify(kr.list)).toContain('KH police may be compromised 4b');
    });

    it('a RED request’s events are read by no auditor of the target (liaisons only); a blacklist draft’s grounds stay with the origin', async () => {
      const red = await sent({ handlingCode: 'RED', subject: 'Red subject 4c' });
      const kh = await auditorReads(tf['kh.auditor'], red.id);
      expect(kh.list).toEqual([]);
      expect(kh.timeline).toEqual([]);
      expect(kh.exported).toEqual([]);
      const all = (await tf['kh.auditor'].get('/audit-events?limit=200').expect(200)).body.items;
      expect(JSON.stringify(all)).not.toContain(red.reference);

      const proposal = (
        await tf['kr.officer']
          .post('/blacklist-entries/batch', {
            frameworkId: tf.cambodiaKoreaFramework,
            banningCountry: 'KH',
            subject: 'Draft proposal 4c',
            entries: [
              {
                person: {
                  names: [
                    { full: 'HAN Draft', family: 'Han', given: 'Draft', script: 'latin', kind: 'primary' },
                  ],
                  nationalities: ['KR'],
                },
                grounds: 'Grounds that stay in KR 4c',
                groundsSummary: 'Summary that stays in KR 4c',
              },
            ],
          })
          .expect(201)
      ).body;
      const khEvents = (
        await tf['kh.auditor'].get('/audit-events?action=blacklist.entry.propose&limit=200').expect(200)
      ).body.items;
      expect(JSON.stringify(khEvents)).not.toContain('Summary that stays in KR 4c');
      expect(JSON.stringify(khEvents)).not.toContain(proposal.id);
    });
    it('a RED freeze’s wallet keys reach no auditor of the target, before or after it is sent', async () => {
      const framework = await koreaMalaysiaFramework(t);
      const d = (
        await tf['kr.officer']
          .post('/asset-freeze-requests', aFreezeDraft(framework, [aWallet()], { handlingCode: 'RED' }))
          .expect(201)
      ).body;
      const s = (
        await tf['kr.officer']
          .post(`/asset-freeze-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      await tf['kr.liaison']
        .post(`/asset-freeze-requests/${d.id}/approve`, { version: s.version })
        .expect(200);
      const my = (await tf['my.auditor'].get('/audit-events?limit=200').expect(200)).body.items;
      expect(JSON.stringify(my)).not.toContain(TRON_USDT_WALLET);
      expect(JSON.stringify(my)).not.toContain(d.id);
      const kr = (await tf['kr.auditor'].get(`/audit-events?recordId=${d.id}`).expect(200)).body.items;
      expect(JSON.stringify(kr)).toContain(TRON_USDT_WALLET);
    });

    it('a case’s share and its revocation stay visible to the country it was shared with', async () => {
      const kase = (
        await tf['kr.officer'].post('/cases', { title: 'Shared 4e', openedOn: '2026-03-01' }).expect(201)
      ).body;
      await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'KH' }).expect(201);
      await tf['kr.liaison'].delete(`/cases/${kase.id}/shares/KH`).expect(200);
      const kh = (await tf['kh.auditor'].get(`/audit-events?recordId=${kase.id}`).expect(200)).body.items;
      expect(actions(kh).sort()).toEqual(['case.share', 'case.share.revoke']);
      const my = (await tf['my.auditor'].get(`/audit-events?recordId=${kase.id}`).expect(200)).body.items;
      expect(my).toEqual([]);
    });
  });

  describe('webhooks and notifications (5)', () => {
    const SECRET = 'a-webhook-secret-of-at-least-32-characters';
    let khAdmin: SignedIn;
    let krAdmin: SignedIn;
    beforeAll(async () => {
      khAdmin = await signIn(t.server, 'kh.admin');
      krAdmin = await signIn(t.server, 'kr.admin');
    });
    async function subscriber(username: string, country: 'KR' | 'KH', roles: string[]) {
      await t.dataSource.query(
        `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
         SELECT $1, $1, agency_id, country_code, $3::text[], password_hash FROM app_user WHERE username = $2`,
        [username, `${country.toLowerCase()}.admin`, roles],
      );
      return signIn(t.server, username);
    }
    const deliveriesFor = async (subscriptionId: string) =>
      t.dataSource.query(
        `SELECT d.id, n.record_id FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id WHERE d.subscription_id = $1`,
        [subscriptionId],
      );
    const subscribe = async (who: SignedIn, eventTypes: string[]) =>
      (
        await who
          .post('/webhooks', { url: 'https://example.org/hook', eventTypes, secret: SECRET })
          .expect(201)
      ).body.id as string;

    it('a country admin without requests.read gets no request webhooks (kr.admin: AMBER, kh.admin: RED)', async () => {
      const khSub = await subscribe(khAdmin, ['request.inbound']);
      const krSub = await subscribe(krAdmin, ['request.accepted']);
      const amber = await sent({ subject: 'Amber subject 5a' });
      const red = await sent({ handlingCode: 'RED', subject: 'Red subject 5a' });
      await tf['kh.liaison']
        .post(`/information-requests/${amber.id}/accept`, { version: amber.version })
        .expect(200);
      expect(await deliveriesFor(khSub)).toEqual([]);
      expect(await deliveriesFor(krSub)).toEqual([]);
      expect(red.id).toBeDefined();
    });

    it('a subscriber is a user: delivered only what that user may read (RED: a liaison), with type, id and reference only', async () => {
      const liaisonHooks = await subscriber('kh.hooks.liaison', 'KH', ['admin', 'liaison']);
      const officerHooks = await subscriber('kh.hooks.officer', 'KH', ['admin', 'officer']);
      const liaisonSub = await subscribe(liaisonHooks, ['request.inbound']);
      const officerSub = await subscribe(officerHooks, ['request.inbound']);
      const amber = await sent({ subject: 'Amber subject 5b' });
      const red = await sent({ handlingCode: 'RED', subject: 'Red subject 5b' });
      const ids = async (sub: string) =>
        (await deliveriesFor(sub)).map((d: { record_id: string }) => d.record_id);
      expect((await ids(liaisonSub)).sort()).toEqual([amber.id, red.id].sort());
      expect(await ids(officerSub)).toEqual([amber.id]);

      const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
      const server: Server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
        await t.dataSource.query(`UPDATE webhook_subscription SET url = $2 WHERE id = $1`, [officerSub, url]);
        const [delivery] = await deliveriesFor(officerSub);
        await t.app.get(WebhookDeliveryService).attempt(delivery.id);
        expect(received).toHaveLength(1);
        const body = JSON.parse(received[0]!.body);
        expect(Object.keys(body).sort()).toEqual([
          'createdAt',
          'id',
          'recordId',
          'recordType',
          'reference',
          'type',
        ]);
        expect(body).toMatchObject({
          type: 'request.inbound',
          recordType: 'request',
          recordId: amber.id,
          reference: amber.reference,
        });
        expect(received[0]!.body).not.toContain('Amber subject 5b');
      } finally {
        await new Promise((r) => server.close(() => r(undefined)));
      }
    });

    it('a delivery is not sent once its owner may no longer read the record', async () => {
      const owner = await subscriber('kh.hooks.demoted', 'KH', ['admin', 'liaison']);
      const sub = await subscribe(owner, ['request.inbound']);
      const red = await sent({ handlingCode: 'RED', subject: 'Red subject 5d' });
      const [delivery] = await deliveriesFor(sub);
      expect(delivery.record_id).toBe(red.id);
      await t.dataSource.query(`UPDATE app_user SET roles = '{admin}' WHERE username = 'kh.hooks.demoted'`);
      await t.app.get(WebhookDeliveryService).attempt(delivery.id);
      const [row] = await t.dataSource.query(
        `SELECT status, attempts, last_error FROM webhook_delivery WHERE id = $1`,
        [delivery.id],
      );
      expect(row).toEqual({
        status: 'failed',
        attempts: 0,
        last_error: 'the subscription owner may no longer read this record',
      });
    });

    it('the in-app inbox shows a notification only to a reader who may read its record now', async () => {
      const red = await sent({ handlingCode: 'RED', subject: 'Red subject 5c' });
      const inbox = async (who: SignedIn) =>
        (await who.get('/notifications?limit=200').expect(200)).body.items.map(
          (n: { recordId: string }) => n.recordId,
        );
      expect(await inbox(tf['kh.liaison2'])).toContain(red.id);
      // However widely a notification was addressed (older rows, a role list gone wrong), the inbox
      // follows the reader's right to read the record: kh.officer is not assigned this RED request.
      await t.dataSource.query(`UPDATE notification SET roles = '{liaison,officer}' WHERE record_id = $1`, [
        red.id,
      ]);
      expect(await inbox(tf['kh.officer'])).not.toContain(red.id);
    });
  });

  describe('stats, history and error messages (6)', () => {
    const inboundFromKR = (stats: {
      requests: Array<{ direction: string; counterpartCountry: string; count: number }>;
    }) =>
      stats.requests
        .filter((r) => r.direction === 'inbound' && r.counterpartCountry === 'KR')
        .reduce((n, r) => n + r.count, 0);

    it('/stats counts inbound RED requests only for those who may see them (today and from the rollup)', async () => {
      const acceptedInbound = (stats: { sentToAccepted: Array<{ direction: string; count: number }> }) =>
        stats.sentToAccepted.filter((d) => d.direction === 'inbound').reduce((n, d) => n + d.count, 0);
      const beforeOfficer = (await tf['kh.officer'].get('/stats').expect(200)).body;
      const beforeLiaison = (await tf['kh.liaison'].get('/stats').expect(200)).body;
      const before = { officer: inboundFromKR(beforeOfficer), liaison: inboundFromKR(beforeLiaison) };
      const today = await sent({ handlingCode: 'RED', subject: 'Red today 6a' });
      const older = await sent({ handlingCode: 'RED', subject: 'Red older 6a' });
      await tf['kh.liaison']
        .post(`/information-requests/${older.id}/accept`, { version: older.version })
        .expect(200);
      // Created ten days ago: counted from the rollup's whole-day cells.
      await t.dataSource.query(
        `UPDATE cross_border_request SET created_at = created_at - interval '10 days' WHERE id = $1`,
        [older.id],
      );
      const officer = (await tf['kh.officer'].get('/stats').expect(200)).body;
      const liaison = (await tf['kh.liaison'].get('/stats').expect(200)).body;
      expect(inboundFromKR(officer)).toBe(before.officer);
      expect(inboundFromKR(liaison)).toBe(before.liaison + 2);
      expect(today.id).toBeDefined();
      // Durations too: the accepted RED request counts for the liaison only.
      expect(acceptedInbound(officer)).toBe(acceptedInbound(beforeOfficer));
      expect(acceptedInbound(liaison)).toBe(acceptedInbound(beforeLiaison) + 1);
      expect(officer.overdueNow).toEqual(beforeOfficer.overdueNow);
      const auditor = (await tf['kh.auditor'].get('/stats').expect(200)).body;
      expect(inboundFromKR(auditor)).toBe(before.officer);
      expect(acceptedInbound(auditor)).toBe(acceptedInbound(beforeOfficer));
    });

    it('/stats answers a non-liaison whose durations are outbound only', async () => {
      const framework = await koreaMalaysiaFramework(t);
      const d = (
        await tf['my.officer']
          .post(
            '/information-requests',
            aDraft(framework, { targetCountry: 'KR', subject: 'MY outbound 6d' }),
          )
          .expect(201)
      ).body;
      const s = (
        await tf['my.officer']
          .post(`/information-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      const a = (
        await tf['my.liaison']
          .post(`/information-requests/${d.id}/approve`, { version: s.version })
          .expect(200)
      ).body;
      await tf['kr.liaison'].post(`/information-requests/${d.id}/accept`, { version: a.version }).expect(200);
      const stats = (await tf['my.officer'].get('/stats').expect(200)).body;
      expect(stats.sentToAccepted).toEqual([
        expect.objectContaining({ kind: 'information', direction: 'outbound', count: 1 }),
      ]);
    });

    it('/history shows the target the rows from `approve` on, without the origin’s step comments', async () => {
      const d = await draft({ subject: 'History 6b' });
      let v = (
        await tf['kr.officer']
          .post(`/information-requests/${d.id}/submit`, { version: d.version, comment: 'first try 6b' })
          .expect(200)
      ).body.version;
      v = (
        await tf['kr.liaison']
          .post(`/information-requests/${d.id}/return`, {
            version: v,
            comment: 'KH police may be compromised 6b',
          })
          .expect(200)
      ).body.version;
      v = (
        await tf['kr.officer']
          .post(`/information-requests/${d.id}/submit`, { version: v, comment: 'second try 6b' })
          .expect(200)
      ).body.version;
      v = (
        await tf['kr.liaison']
          .post(`/information-requests/${d.id}/approve`, { version: v, comment: 'approved internally 6b' })
          .expect(200)
      ).body.version;
      await tf['kh.liaison']
        .post(`/information-requests/${d.id}/accept`, { version: v, comment: 'We take it 6b' })
        .expect(200);
      const kh = (await tf['kh.liaison'].get(`/information-requests/${d.id}/history`).expect(200)).body;
      expect(kh.map((h: { action: string }) => h.action)).toEqual(['approve', 'accept']);
      expect(kh[0].comment).toBeNull();
      expect(kh[1].comment).toBe('We take it 6b');
      expect(JSON.stringify(kh)).not.toMatch(/6b".*(try|compromised|internally)/);
      const kr = (await tf['kr.liaison'].get(`/information-requests/${d.id}/history`).expect(200)).body;
      expect(kr.map((h: { action: string }) => h.action)).toEqual([
        'create',
        'submit',
        'return',
        'submit',
        'approve',
        'accept',
      ]);
      expect(JSON.stringify(kr)).toContain('KH police may be compromised 6b');
    });
  });

  describe('error messages (6)', () => {
    it('another country’s draft repatriation of the same person neither blocks nor shows; the same arrest twice is a 409 naming the caller’s own request (probe, third round)', async () => {
      const myKr = await koreaMalaysiaFramework(t);
      // A KR person, shown to KH and MY through a KR case shared with both.
      const person = (
        await tf['kr.officer']
          .post('/persons', {
            names: [{ full: 'SONG Probe', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          })
          .expect(201)
      ).body.id as string;
      const kase = (
        await tf['kr.officer']
          .post('/cases', {
            title: 'Shared with KH and MY 6c',
            persons: [{ personId: person, role: 'suspect' }],
          })
          .expect(201)
      ).body;
      for (const countryCode of ['KH', 'MY'])
        await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode }).expect(201);
      const arrest = async (who: SignedIn, agency: string) =>
        (
          await who
            .post('/arrests', {
              arrestedAt: '2026-04-02T10:00:00+07:00',
              place: 'Border post',
              grounds: 'Fraud',
              arrestingAgency: agency,
              nationality: 'KR',
              personId: person,
            })
            .expect(201)
        ).body.id as string;
      const myArrest = await arrest(tf['my.officer'], 'Royal Malaysia Police');
      const khArrest = await arrest(tf['kh.officer'], 'Cambodian National Police');
      const repatriation = (frameworkId: string, arrestId: string, subject: string) => ({
        frameworkId,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'RED',
        subject,
        arrestIds: [arrestId],
      });
      const myDraft = (
        await tf['my.officer']
          .post('/repatriation-requests', repatriation(myKr, myArrest, 'MY draft 6c'))
          .expect(201)
      ).body;
      // KH, which cannot read MY's draft, asks for its own arrest of the same person: nothing in its way.
      const khDraft = await tf['kh.officer']
        .post('/repatriation-requests', repatriation(tf.cambodiaKoreaFramework, khArrest, 'KH try 6c'))
        .expect(201);
      expect(JSON.stringify(khDraft.body)).not.toContain(myDraft.id);
      // MY asking again for the same arrest is told of its own open request.
      const again = await tf['my.officer']
        .post('/repatriation-requests', repatriation(myKr, myArrest, 'MY again 6c'))
        .expect(409);
      expect(again.body.detail).toMatch(/already on another open repatriation request/);
      // A draft has no reference yet: MY is told of its own request by its draft id.
      expect(myDraft.reference).toBeNull();
      expect(again.body.detail).toContain(myDraft.draftId);
    });
  });

  describe('denials reach the owner’s auditors (8)', () => {
    it('another country’s probe of a case, a person and a request is visible to the owner’s auditors', async () => {
      const kase = (
        await tf['kr.officer']
          .post('/cases', { title: 'Probe target 8a', openedOn: '2026-03-01' })
          .expect(201)
      ).body;
      const d = await draft({ subject: 'Probe target request 8a' });
      await tf['my.officer'].get(`/cases/${kase.id}`).expect(404);
      await tf['my.officer'].get(`/information-requests/${d.id}`).expect(404);
      const denials = async (recordId: string) =>
        (await tf['kr.auditor'].get(`/audit-events?action=access.denied&recordId=${recordId}`).expect(200))
          .body.items;
      expect(await denials(kase.id)).toEqual([
        expect.objectContaining({ ownerCountry: 'KR', actor: expect.objectContaining({ country: 'MY' }) }),
      ]);
      expect(await denials(d.id)).toEqual([expect.objectContaining({ ownerCountry: 'KR' })]);
      // The draft's target reads nothing of it, not even the probe.
      expect(
        (await tf['kh.auditor'].get(`/audit-events?action=access.denied&recordId=${d.id}`).expect(200)).body
          .items,
      ).toEqual([]);
    });

    it('a re-used refresh token is visible to the auditors of the user’s country', async () => {
      const first = await login(t.server, 'kr.officer2');
      const refresh = (token: string) =>
        request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: token });
      await refresh(first.refreshToken).expect(200);
      await refresh(first.refreshToken).expect(401);
      const events = (await tf['kr.auditor'].get('/audit-events?action=auth.refresh.reuse').expect(200)).body
        .items;
      expect(events).toEqual([expect.objectContaining({ ownerCountry: 'KR', outcome: 'denied' })]);
      expect(
        (await tf['kh.auditor'].get('/audit-events?action=auth.refresh.reuse').expect(200)).body.items,
      ).toEqual([]);
    });
  });
});
