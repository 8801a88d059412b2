import type { Response } from 'supertest';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { Code, frameworkId, HANDLING_CODES, personKhGaveKr, RELEASE_REFUSED } from './support';

/**
 * The leak matrix (issue 15): KH (the source) gives KR (the receiver) a person under each handling code;
 * KR then tries every write path that makes a person visible to another country, towards MY (a third
 * country, in a framework with KR but not with KH). Under CLEAR the data may go on; under every other
 * code MY must not learn it exists — no 200, list, search, export, statistic, notification, webhook
 * or audit event — and both KR's and KH's auditors see the refusal. CLEAR runs last, as the control
 * that shows the sweeps can see a leak.
 */
const REFUSED_CODES: Code[] = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
let cases = 0;

describe('Leak matrix: every cross-border write path × handling code × (source, receiver, third country)', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  let myAdmin: SignedIn;
  const created: string[] = [];
  const money = { amount: '1000.00', currency: 'USD' };
  const account = (over: object = {}) => ({
    type: 'bank_account',
    institutionName: 'Maybank',
    institutionCode: 'MBBEMYKL',
    accountNumber: `5140${Math.floor(Math.random() * 1e8)}`,
    holderName: 'A nominee',
    borrowedName: true,
    amountSought: money,
    grounds: { summary: 'Proceeds of a romance scam' },
    ...over,
  });
  const draft = (kind: string, over: object) => ({
    frameworkId: krMy,
    targetCountry: 'MY',
    priority: 'urgent',
    handlingCode: 'AMBER',
    subject: `KR to MY: ${kind}`,
    ...over,
  });
  const kept = (res: Response) => {
    if (res.body?.id) created.push(res.body.id);
    return res;
  };
  const arrestOf = async (personId: string, nationality: string) =>
    kept(
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality,
          personId,
        })
        .expect(201),
    ).body.id as string;

  const ownPerson = async (full: string, phones: string[] = []) =>
    (
      await tf['kr.officer']
        .post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }], phones })
        .expect(201)
    ).body as { id: string; version: number };
  const caseWith = async (personId: string) =>
    kept(await tf['kr.officer'].post('/cases', { title: 'Case', persons: [{ personId, role: 'suspect' }] }));

  /**
   * KR's write paths towards MY; each returns the answer to the write that would carry what KH gave:
   * the person itself, or its phone copied into KR's own records.
   */
  const PATHS: Record<string, (given: { id: string; phone: string }) => Promise<Response>> = {
    'case share': async ({ id: p }) => {
      const c = kept(
        await tf['kr.officer'].post('/cases', { title: 'Case', persons: [{ personId: p, role: 'suspect' }] }),
      );
      return tf['kr.liaison'].post(`/cases/${c.body.id}/shares`, { countryCode: 'MY' });
    },
    'person linked into a case already shared': async ({ id: p }) => {
      // Legitimately shared (it is empty), so not one of the records MY must never see.
      const c = await tf['kr.officer'].post('/cases', { title: 'Empty case' }).expect(201);
      await tf['kr.liaison'].post(`/cases/${c.body.id}/shares`, { countryCode: 'MY' }).expect(201);
      return tf['kr.officer'].post(`/cases/${c.body.id}/persons`, {
        persons: [{ personId: p, role: 'suspect' }],
      });
    },
    'information request': async ({ id: p }) =>
      kept(
        await tf['kr.officer'].post(
          '/information-requests',
          draft('information', { questions: ['Seen him?'], personIds: [p] }),
        ),
      ),
    'blacklist proposal': async ({ id: p }) =>
      kept(
        await tf['kr.officer'].post('/blacklist-entries', {
          frameworkId: krMy,
          banningCountry: 'MY',
          entry: { personId: p, grounds: 'Runs a compound.', groundsSummary: 'Ringleader' },
        }),
      ),
    'asset freeze, account holder': async ({ id: p }) =>
      kept(
        await tf['kr.officer'].post(
          '/asset-freeze-requests',
          draft('freeze', { targets: [account({ personId: p })] }),
        ),
      ),
    'asset freeze, victim': async ({ id: p }) =>
      kept(
        await tf['kr.officer'].post(
          '/asset-freeze-requests',
          draft('freeze', {
            targets: [
              account({ grounds: { summary: 'Proceeds', victimLosses: [{ personId: p, loss: money }] } }),
            ],
          }),
        ),
      ),
    'arrest share': async ({ id: p }) =>
      tf['kr.liaison'].post(`/arrests/${await arrestOf(p, 'KH')}/shares`, { countryCode: 'MY' }),
    repatriation: async ({ id: p }) =>
      kept(
        await tf['kr.officer'].post(
          '/repatriation-requests',
          draft('repatriation', { arrestIds: [await arrestOf(p, 'MY')] }),
        ),
      ),
    'its phone, copied into a person KR records, in a case shared': async ({ phone }) => {
      const c = await caseWith((await ownPerson('KR copy', [phone])).id);
      return tf['kr.liaison'].post(`/cases/${c.body.id}/shares`, { countryCode: 'MY' });
    },
    'its phone, named in an information request': async ({ phone }) =>
      kept(
        await tf['kr.officer'].post(
          '/information-requests',
          draft('information', { questions: ['Subscriber?'], identifiers: { phones: [phone] } }),
        ),
      ),
    'its phone, added to a KR person already shared': async ({ phone }) => {
      // The person and its case are legitimately MY's to see; the phone is what must not follow.
      const own = await ownPerson('KR suspect');
      const c = await tf['kr.officer']
        .post('/cases', { title: 'Shared', persons: [{ personId: own.id, role: 'suspect' }] })
        .expect(201);
      await tf['kr.liaison'].post(`/cases/${c.body.id}/shares`, { countryCode: 'MY' }).expect(201);
      return tf['kr.officer'].patch(`/persons/${own.id}`, {
        names: [{ full: 'KR suspect', script: 'latin', kind: 'primary' }],
        phones: [phone],
        version: own.version,
      });
    },
  };

  /** Everything MY's users can list or export, as one text to search. */
  const whatMySees = async (phone: string) => {
    const reads: Array<[SignedIn, string]> = [];
    for (const user of [tf['my.officer'], tf['my.liaison']])
      for (const path of [
        '/persons?name=SOK',
        `/persons?phone=${encodeURIComponent(phone)}`,
        '/cases?limit=200',
        '/information-requests?limit=200',
        '/asset-freeze-requests?limit=200',
        '/blacklist-entries?limit=200',
        '/blacklist-proposals?limit=200',
        '/arrests?limit=200',
        '/repatriation-requests?limit=200',
        '/notifications?limit=200',
        '/stats',
      ])
        reads.push([user, path]);
    reads.push([myAdmin, '/webhooks']);
    let text = '';
    for (const [user, path] of reads) {
      const res = await user.get(path);
      expect([200, 403]).toContain(res.status); // 403: the role may not read that list at all
      text += `\n${path.replace(/phone=.*/, 'phone=…')} ${res.text}`; // the query itself is no leak
    }
    // The audit trail, less MY's own actions (its own probes name the ids it typed, which is no leak).
    const othersOnly = (events: Array<{ actor: { country: string | null } }>) =>
      JSON.stringify(events.filter((e) => e.actor.country !== 'MY'));
    const listed = await tf['my.auditor'].get('/audit-events?limit=200').expect(200);
    text += othersOnly(listed.body.items);
    const exported = await tf['my.auditor'].get('/audit-events/export').expect(200);
    text += othersOnly(
      exported.text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
    const rows = await t.dataSource.query(
      `SELECT n.record_id, n.payload FROM notification n WHERE n.country_code = 'MY'`,
    );
    return text + JSON.stringify(rows);
  };
  /** MY's figures, without the period they cover (it moves with the clock). */
  const statsOfMy = async () => {
    const figures = [];
    for (const user of [tf['my.officer'], tf['my.liaison']]) {
      const { from: _from, to: _to, ...rest } = (await user.get('/stats').expect(200)).body;
      figures.push(rest);
    }
    return figures;
  };
  /** Refusals an auditor reads (a copied phone's refusal is recorded on KR's person that carried it). */
  const refusalsSeenBy = async (auditor: SignedIn) =>
    (await auditor.get(`/audit-events?action=release.refused&limit=200`).expect(200)).body.items.length;
  /** Each code's person comes with a phone of its own, so each code's phone is weighed on its own. */
  const phoneFor = (code: Code) => `+85512777${String(HANDLING_CODES.indexOf(code)).padStart(3, '0')}`;

  let statsBefore: object[];
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await frameworkId(t, 'Korea–Malaysia');
    myAdmin = await signIn(t.server, 'my.admin');
    statsBefore = await statsOfMy();
  });
  afterAll(async () => {
    console.log(`leak matrix: ${cases} cases`);
    await t?.close();
  });

  describe.each(REFUSED_CODES)('a person KH gave KR under %s', (code) => {
    let person: string;
    const phone = phoneFor(code);
    beforeAll(async () => {
      person = await personKhGaveKr(tf, code, 'SOK Vanna', { phones: [phone] });
    });

    it.each(Object.keys(PATHS))(
      '%s: KR → MY is refused (409 naming the rule), audited for KR and KH',
      async (path) => {
        const before = [await refusalsSeenBy(tf['kr.auditor']), await refusalsSeenBy(tf['kh.auditor'])];
        const res = await PATHS[path]({ id: person, phone });
        cases += 1;
        expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
        expect(res.body.rules).toEqual([code]);
        expect(res.text).not.toContain(person); // the refusal names the field, not the record
        expect(res.text).not.toContain(phone.slice(1));
        const after = [await refusalsSeenBy(tf['kr.auditor']), await refusalsSeenBy(tf['kh.auditor'])];
        expect(after).toEqual([before[0]! + 1, before[1]! + 1]);
        expect(await refusalsSeenBy(tf['my.auditor'])).toBe(0);
      },
    );

    it('MY: 404 on the person, and it is in no list, search, export, statistic, notification, webhook or audit event', async () => {
      cases += 1;
      await tf['my.officer'].get(`/persons/${person}`).expect(404);
      await tf['my.auditor'].get(`/persons/${person}`).expect(404);
      const seen = await whatMySees(phone);
      expect(seen).not.toContain(person);
      expect(seen).not.toContain(phone.slice(1));
      for (const id of created) expect(seen).not.toContain(id);
      expect(await statsOfMy()).toEqual(statsBefore);
    });

    it('giving the person back to KH, its originator, is always allowed', async () => {
      cases += 1;
      const c = await tf['kr.officer']
        .post('/cases', { title: 'Back to KH', persons: [{ personId: person, role: 'suspect' }] })
        .expect(201);
      await tf['kr.liaison'].post(`/cases/${c.body.id}/shares`, { countryCode: 'KH' }).expect(201);
    });
  });

  describe('a person KH gave KR under CLEAR (the control: the sweeps do see what was shared)', () => {
    let person: string;
    const phone = phoneFor('CLEAR');
    beforeAll(async () => {
      person = await personKhGaveKr(tf, 'CLEAR', 'SOK Vanna', { phones: [phone] });
    });

    it.each(Object.keys(PATHS))('%s: KR → MY is allowed', async (path) => {
      cases += 1;
      const res = await PATHS[path]({ id: person, phone });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    });

    it('MY now reads the person and finds it in its lists', async () => {
      cases += 1;
      const body = (await tf['my.officer'].get(`/persons/${person}`).expect(200)).body;
      expect(body.id).toBe(person);
      const seen = await whatMySees(phone);
      expect(seen).toContain(person);
      expect(seen).toContain(phone.slice(1));
      const [provenance] = await t.dataSource.query(
        `SELECT released_by_country, originator_country, handling_code FROM person_provenance
          WHERE person_id = $1 AND receiving_country = 'MY' AND via_type = 'case' LIMIT 1`,
        [person],
      );
      expect(provenance).toEqual({
        released_by_country: 'KR',
        originator_country: 'KH',
        handling_code: 'AMBER',
      });
    });
  });
});
