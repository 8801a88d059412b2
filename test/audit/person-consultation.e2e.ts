import type { SignedIn } from '../support/http';
import { superuser } from './support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface Event {
  action: string;
  recordId: string | null;
  ownerCountry: string | null;
  counterpartCountry: string | null;
  actor: { username: string | null; country: string | null };
  details: Record<string, unknown> | null;
}

/**
 * "Who looked at this person?" Consulting personal data is recorded as changing it is: a person read
 * is in the reader's country's trail (not the owner's: a partner may have passed the person on); a
 * search is the searcher's own business likewise.
 */
describe('Consulting a person is audited', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'SEO Consulted', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          documents: [{ type: 'passport', number: 'M70012345', issuingCountry: 'KR' }],
        })
        .expect(201)
    ).body.id;
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Consulted case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'KH', handlingCode: 'GREEN' })
      .expect(201);
  });
  afterAll(() => t?.close());

  const events = async (auditor: SignedIn, query: string): Promise<Event[]> =>
    (await auditor.get(`/audit-events?${query}&limit=200`).expect(200)).body.items;
  const reads = (auditor: SignedIn) => events(auditor, `action=person.read&recordId=${personId}`);

  it('KR reads its own person: one person.read in KR’s trail, naming the officer', async () => {
    const before = (await reads(tf['kr.auditor'])).length;
    await tf['kr.officer2'].get(`/persons/${personId}`).expect(200);
    const after = await reads(tf['kr.auditor']);
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      ownerCountry: 'KR',
      counterpartCountry: null,
      actor: { username: 'kr.officer2', country: 'KR' },
    });
  });

  it('KH reads the person shared with it: in KH’s trail, naming its officer; not in KR’s', async () => {
    await tf['kh.officer'].get(`/persons/${personId}`).expect(200);
    const khReads = await reads(tf['kh.auditor']);
    expect(khReads).toHaveLength(1);
    expect(khReads[0]).toMatchObject({
      ownerCountry: 'KH',
      details: { personOwner: 'KR' },
      actor: { username: 'kh.officer', country: 'KH' },
    });
    // KR's auditors are not told of KH's consultation (it could have come by a third country's case).
    expect((await reads(tf['kr.auditor'])).filter((e) => e.actor.country !== 'KR')).toEqual([]);
  });

  it('a read refused as not found records no consultation', async () => {
    await tf['my.officer'].get(`/persons/${personId}`).expect(404);
    const all = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'person.read' AND actor_country = 'MY'`,
    );
    expect(all[0].n).toBe(0);
  });

  it('a search is in the searcher’s trail with what it asked and whom it showed, and no one else’s', async () => {
    const found = (await tf['kh.officer'].get('/persons?name=consulted').expect(200)).body.items as Array<{
      id: string;
    }>;
    expect(found.map((p) => p.id)).toEqual([personId]);
    const [search] = await events(tf['kh.auditor'], 'action=person.search');
    expect(search).toMatchObject({
      ownerCountry: 'KH',
      actor: { username: 'kh.officer' },
      details: { criteria: { name: 'consulted' }, cursor: null, shown: [personId] },
    });
    // The person's owner is not told that KH searched for it, nor what KH asked.
    const krSearches = await events(tf['kr.auditor'], 'action=person.search');
    expect(krSearches.filter((e) => e.actor.country === 'KH')).toEqual([]);
  });

  it('an arrest consulted, or a page of arrests, is in the reader’s trail with the person shown', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: '배소연', script: 'hangul', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    await tf['kh.officer2'].get(`/arrests/${arrest.id}`).expect(200);
    const [read] = await events(tf['kh.auditor'], `action=arrest.read&recordId=${arrest.id}`);
    expect(read).toMatchObject({
      ownerCountry: 'KH',
      actor: { username: 'kh.officer2' },
      details: { arrestingCountry: 'KH', personId: arrest.person.id },
    });
    const listed = (await tf['kh.officer2'].get('/arrests?nationality=KR&limit=200').expect(200)).body
      .items as Array<{
      id: string;
    }>;
    const [list] = await events(tf['kh.auditor'], 'action=arrest.list');
    expect(list).toMatchObject({
      actor: { username: 'kh.officer2' },
      details: { filters: { nationality: 'KR' }, shown: listed.map((a) => a.id) },
    });
    // KR, never sent the arrest, reads it as unknown: no consultation (only its own refused probe), and
    // nothing of KH's reads in its trail.
    await tf['kr.officer'].get(`/arrests/${arrest.id}`).expect(404);
    const krTrail = (await events(tf['kr.auditor'], 'recordType=arrest')).filter(
      (e) => e.action !== 'access.denied',
    );
    expect(JSON.stringify(krTrail)).not.toContain(arrest.id);
    expect(krTrail.filter((e) => e.actor.country === 'KH')).toEqual([]);
  });

  it('a consultation whose event cannot be written is not served: the person stays unshown', async () => {
    // The trail refuses kr.officer2's consultations (a full disk, a lost connection, a revoked grant).
    const db = await superuser(t);
    await db.query(`
      CREATE FUNCTION refuse_test_consultation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the trail is unavailable'; END $$;
      CREATE TRIGGER refuse_test_consultation BEFORE INSERT ON audit_event FOR EACH ROW
        WHEN (NEW.actor_username = 'kr.officer2' AND NEW.action IN ('person.read', 'person.search'))
        EXECUTE FUNCTION refuse_test_consultation()`);
    try {
      for (const path of [`/persons/${personId}`, '/persons?name=SEO%20Consulted']) {
        const res = await tf['kr.officer2'].get(path);
        expect(res.status).toBeGreaterThanOrEqual(500);
        expect(JSON.stringify(res.body)).not.toContain('SEO Consulted');
        expect(JSON.stringify(res.body)).not.toContain('M70012345');
      }
    } finally {
      await db.query(
        `DROP TRIGGER refuse_test_consultation ON audit_event; DROP FUNCTION refuse_test_consultation()`,
      );
      await db.end();
    }
    // Once the trail takes events again, so does the read.
    await tf['kr.officer2'].get(`/persons/${personId}`).expect(200);
  });
});
