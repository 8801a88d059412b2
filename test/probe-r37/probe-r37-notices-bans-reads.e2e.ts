import { BlacklistExpiryNoticeService } from '../../src/blacklist/blacklist-expiry-notice.service';
import { BlacklistService } from '../../src/blacklist/blacklist.service';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Notice {
  recordId: string;
  eventType: string;
  payload: Record<string, unknown>;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Probe r37: hand-off notices of RED requests and reassignments, extending a ban as the proposing and a
 * third country would try it, and the audit of a person's consultation as the person's owner would look
 * for it.
 */
describe('Probe r37: hand-off notices, ban extension, person consultation', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const notices = async (who: SignedIn, id: string): Promise<Notice[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Notice[]).filter(
      (n) => n.recordId === id,
    );

  it('a RED request reassigned: the officer who lost it keeps no notice of it; the new one is told without its subject', async () => {
    const assigned = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .handledAs('RED')
      .with({ subject: 'Informant r37 in the compound' })
      .assignedTo('kh.officer');
    expect((await notices(tf['kh.officer'], assigned.id)).map((n) => n.eventType)).toContain(
      'request.assigned',
    );
    const reassigned = (
      await tf['kh.liaison']
        .post(`/information-requests/${assigned.id}/assign`, {
          version: assigned.version,
          assigneeId: await tf.userId('kh.officer2'),
        })
        .expect(200)
    ).body;
    expect(reassigned.assignedTo).toBe(await tf.userId('kh.officer2'));
    expect(await notices(tf['kh.officer'], assigned.id)).toEqual([]);
    await tf['kh.officer'].get(`/information-requests/${assigned.id}`).expect(404);
    const told = await notices(tf['kh.officer2'], assigned.id);
    expect(told.map((n) => n.eventType)).toContain('request.assigned');
    expect(JSON.stringify(told)).not.toContain('Informant r37');
    // KR hears nothing of KH's internal hand-off.
    expect((await notices(tf['kr.officer'], assigned.id)).map((n) => n.eventType)).not.toContain(
      'request.assigned',
    );
  });

  describe('extending a ban', () => {
    let lee: string;
    let version: number;
    beforeAll(async () => {
      const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
      lee = proposal.entries[0].id;
      version = (
        await tf['kh.liaison']
          .post(`/blacklist-entries/${lee}/activate`, {
            version: 1,
            legalBasis: 'KH internal legal basis r37',
            expiresOn: inDays(30),
          })
          .expect(200)
      ).body.version;
    });

    it('bad dates, reasons and types are 4xx problems; nothing changes', async () => {
      const bodies: unknown[] = [
        { version, expiresOn: '2031-02-30', reason: 'x' },
        { version, expiresOn: '2031-13-01', reason: 'x' },
        { version, expiresOn: '+02031-01-01', reason: 'x' },
        { version, expiresOn: '2031-1-1', reason: 'x' },
        { version, expiresOn: '2031-01-01T00:00:00Z', reason: 'x' },
        { version, expiresOn: '0000-01-01', reason: 'x' },
        { version, expiresOn: 20310101, reason: 'x' },
        { version, expiresOn: null, reason: 'x' },
        { version, expiresOn: inDays(0), reason: 'x' },
        { version, expiresOn: inDays(-400), reason: 'x' },
        { version, expiresOn: inDays(10), reason: 'sooner' },
        { version, expiresOn: '2031-01-01', reason: '' },
        { version, expiresOn: '2031-01-01', reason: 'a\u0000b' },
        { version, expiresOn: '2031-01-01', reason: ''.padEnd(2001, 'r') },
        { version, expiresOn: '2031-01-01', reason: ['x'] },
        { version: 'x', expiresOn: '2031-01-01', reason: 'x' },
        { version: version + 1, expiresOn: '2031-01-01', reason: 'x' },
        { version, expiresOn: '2031-01-01', reason: 'x', legalBasis: 'y' },
        [],
      ];
      for (const b of bodies) {
        const res = await tf['kh.liaison']
          .post(`/blacklist-entries/${lee}/extend`, b as object)
          .set('content-type', 'application/json');
        expect({ status: res.status, b, type: typeof res.body.type }).toEqual({
          status: expect.any(Number),
          b,
          type: 'string',
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      const entry = (await tf['kh.liaison'].get(`/blacklist-entries/${lee}`).expect(200)).body;
      expect(entry).toMatchObject({ version, expiresOn: inDays(30), extendedAt: null });
    });

    it('the far future: 9999-12-31 is taken or refused with a 4xx, and the expiry-notice job still runs', async () => {
      const res = await tf['kh.liaison'].post(`/blacklist-entries/${lee}/extend`, {
        version,
        expiresOn: '9999-12-31',
        reason: 'Life ban r37',
      });
      expect(res.status).toBeLessThan(500);
      if (res.status === 200) version = res.body.version;
      await expect(t.app.get(BlacklistExpiryNoticeService).tellExpiring()).resolves.toEqual(
        expect.any(Number),
      );
      // The screening and listing of it still work.
      await tf['kh.liaison'].get(`/blacklist-entries?limit=200`).expect(200);
    });

    it('a third country reads extending an entry it never saw as an unknown id; the proposer learns only what its view shows', async () => {
      const unknown = '7d1b6a3e-2f4c-4e8a-9b1d-3c5e7f9a1b2c';
      const body = { version, expiresOn: inDays(700), reason: 'x' };
      const my = await tf['my.liaison'].post(`/blacklist-entries/${lee}/extend`, body);
      const none = await tf['my.liaison'].post(`/blacklist-entries/${unknown}/extend`, body);
      expect(my.status).toBe(404);
      expect({ ...my.body, instance: null, requestId: null }).toEqual({
        ...none.body,
        instance: null,
        requestId: null,
      });
      // What KR (the proposer) is told of the decisions is in its view of the entry; MY nothing.
      const view = (await tf['kr.liaison'].get(`/blacklist-entries/${lee}`).expect(200)).body;
      // The latest decision told (notices newest first) holds fields of the view, with the view's values.
      const [latest] = await notices(tf['kr.liaison'], lee);
      expect(latest).toBeDefined();
      for (const [field, value] of Object.entries(latest!.payload))
        if (field in view && field !== 'decidedAt') expect([field, view[field]]).toEqual([field, value]);
      expect(JSON.stringify((await notices(tf['kr.liaison'], lee)).map((n) => n.payload))).not.toContain(
        'KH internal legal basis r37',
      );
      expect(await notices(tf['my.liaison'], lee)).toEqual([]);
    });
  });

  it('a ban that lapses at the end of today (UTC) is still extended today, and refused tomorrow', async () => {
    const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
    const park = proposal.entries[1].id as string;
    const activated = (
      await tf['kh.liaison']
        .post(`/blacklist-entries/${park}/activate`, {
          version: 1,
          legalBasis: 'Art. 29',
          expiresOn: inDays(1),
        })
        .expect(200)
    ).body;
    // The blacklist's own clock only (sign-in tokens keep the real one).
    const service = t.app.get(BlacklistService) as unknown as { clock: { now(): Date } };
    const real = service.clock;
    let now = new Date(`${inDays(1)}T23:59:30.000Z`);
    service.clock = { ...real, now: () => now, today: () => now.toISOString().slice(0, 10) } as typeof real;
    try {
      const extended = await tf['kh.liaison'].post(`/blacklist-entries/${park}/extend`, {
        version: activated.version,
        expiresOn: inDays(2),
        reason: 'Renewed warrant',
      });
      expect(extended.status).toBe(200);
      now = new Date(`${inDays(3)}T00:00:30.000Z`);
      const late = await tf['kh.liaison'].post(`/blacklist-entries/${park}/extend`, {
        version: extended.body.version,
        expiresOn: inDays(30),
        reason: 'Too late',
      });
      expect(late.status).toBe(409);
      expect(late.body.type).toEqual(expect.stringContaining('ban-expired'));
    } finally {
      service.clock = real;
    }
  });

  it('consulting a person: the owner’s auditors never see who abroad read it, the reader’s do', async () => {
    const personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KIM Consulted', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body.id as string;
    await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').about(personId).sent();
    await tf['kh.liaison'].get(`/persons/${personId}`).expect(200);
    await tf['kh.liaison'].get(`/persons?limit=50`).expect(200);
    const trail = async (auditor: SignedIn) =>
      (
        (await auditor.get(`/audit-events?limit=200`).expect(200)).body.items as Array<{
          action: string;
          actorCountry?: string;
          recordId: string;
          details?: unknown;
        }>
      ).filter((e) => e.action === 'person.read' || e.action === 'person.search');
    const kr = (await trail(tf['kr.auditor'])).filter((e) => JSON.stringify(e).includes('kh.'));
    expect(kr).toEqual([]);
    const krAll = JSON.stringify(await trail(tf['kr.auditor']));
    expect(krAll).not.toContain('KH');
    const kh = await trail(tf['kh.auditor']);
    expect(kh.map((e) => e.action)).toEqual(expect.arrayContaining(['person.read', 'person.search']));
    // MY reads none of it.
    expect(JSON.stringify(await trail(tf['my.auditor']))).not.toContain(personId);
  });
});
