import { personKhGaveKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, krCase, krPerson, myReadsNumber, NUMBER, said, together } from './race5-support';

type Answer = { status: number; body: { type?: string } };

/**
 * Probe race 5: KR–MY cooperation ends (`PUT /frameworks/:id/members/MY` with `leftOn` today, by the
 * platform administrator) while KR writes to MY: a message carrying the number KH gave KR under AMBER on a
 * request already sent to MY, or a share of a case with MY. The message is refused either way (by the
 * release rule, or for want of a framework); a share that read the framework before the end committed
 * goes as if made just before it (nothing the end writes is read by the share), so every round must be
 * one of the two serial outcomes, never a 500: the share refused (400 on `countryCode`, whichever of its
 * checks found the end) and MY reading nothing of the case, or
 * the share made and MY reading the case as shared. A share asked after the end has answered is refused.
 */
describe('KR writes to MY while the KR–MY framework ends', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  let joinedOn: string;
  const ROUNDS = 6;
  const today = () => new Date().toISOString().slice(0, 10);
  const end = () => admin.put(`/frameworks/${krMy}/members/MY`, { joinedOn, leftOn: today() });
  const resume = async () =>
    admin.put(`/frameworks/${krMy}/members/MY`, { joinedOn, leftOn: null }).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    await personKhGaveKr(tf, 'AMBER');
    krMy = (await tf.frameworkBetween('KR', 'MY'))!;
    const framework = (await admin.get('/frameworks').expect(200)).body.find(
      (f: { id: string }) => f.id === krMy,
    );
    joinedOn = framework.memberships.find((m: { country: string }) => m.country === 'MY').joinedOn;
  }, 120_000);
  afterAll(() => t?.close());

  it('only one framework joins KR and MY, and ending MY’s membership ends their cooperation', async () => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM framework f WHERE f.active
          AND (SELECT count(*) FROM framework_member m WHERE m.framework_id = f.id AND m.country_code IN ('KR', 'MY')) = 2`,
    );
    expect(n).toBe(1);
    expect((await end()).status).toBe(200);
    const id = await krCase(tf, 'Shared after the end');
    const share = await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' });
    await resume();
    expect(share.status).toBe(400);
    expect(share.body.type).toMatch(/validation-failed$/);
    await tf['my.officer'].get(`/cases/${id}`).expect(404);
  });

  it('a message carrying the number, raced with the end: refused, MY never reads the number', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await givenIn(tf).anInformationRequest().from('KR').sentTo('MY').sent();
      const path = `/information-requests/${r.id}`;
      const [m, e] = await together(
        round,
        () => tf['kr.officer'].post(`${path}/messages`, { body: `Call his handler on ${NUMBER}` }),
        end,
        1,
      );
      await resume();
      const leaked = await myReadsNumber(tf, [path, `${path}/messages`, `${path}/history`]);
      lines.push(
        `round ${round}: message ${said(m)}, end ${said(e)}, MY reads the number: ${leaked ? 'yes' : 'no'}`,
      );
    }
    expect(
      broken(lines, (l) => /message 409/.test(l) && /end 200/.test(l) && l.includes('number: no')),
    ).toEqual([]);
  }, 300_000);

  it('a message carrying a number of KR’s own, raced with the end: refused, or read by MY with its receipt', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await givenIn(tf).anInformationRequest().from('KR').sentTo('MY').sent();
      const path = `/information-requests/${r.id}`;
      const own = `+8210777${String(1000 + round)}`;
      const [m, e] = await together(
        round,
        () => tf['kr.officer'].post(`${path}/messages`, { body: `Our own line is ${own}` }),
        end,
        1,
      );
      await resume();
      const reads = JSON.stringify((await tf['my.officer'].get(`${path}/messages`)).body).includes(
        own.slice(1),
      );
      const [{ receipts }] = await t.dataSource.query(
        `SELECT count(*)::int AS receipts FROM identifier_provenance
          WHERE receiving_country = 'MY' AND via_type = 'request' AND via_id = $1`,
        [r.id],
      );
      lines.push(
        `round ${round}: message ${said(m)}, end ${said(e)}, MY reads it: ${reads}, receipts ${receipts}`,
      );
    }
    const serial = (l: string) =>
      /end 200/.test(l) &&
      (/message 201, .*MY reads it: true, receipts [1-9]/.test(l) ||
        /message 409 no-active-framework, .*MY reads it: false, receipts 0$/.test(l));
    expect(broken(lines, serial)).toEqual([]);
  }, 300_000);

  it('a case share whose framework ends after its first check, while it waits for the case: the same 400 as a share asked after the end', async () => {
    const person = await krPerson(tf, 'LEE Held At The Gate');
    const id = await krCase(tf, 'Held while the framework ends', [person]);
    // Another session holds the case's row: the share passes its framework check, then waits there.
    const gate = t.dataSource.createQueryRunner();
    await gate.connect();
    await gate.startTransaction();
    try {
      await gate.query('SELECT 1 FROM case_file WHERE id = $1 FOR UPDATE', [id]);
      const held = Promise.resolve(tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' }));
      const waiting = async () =>
        (
          await t.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM case_file%FOR UPDATE%'`,
          )
        )[0].n as number;
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await waiting()).toBe(1);
      expect((await end()).status).toBe(200);
      await gate.commitTransaction();
      const share = await held;
      expect(share.status).toBe(400);
      expect(share.body.type).toMatch(/validation-failed$/);
      expect(share.body.errors).toEqual([expect.objectContaining({ field: 'countryCode' })]);
    } finally {
      if (gate.isTransactionActive) await gate.rollbackTransaction();
      await gate.release();
      await resume();
    }
    await tf['my.officer'].get(`/cases/${id}`).expect(404);
  });

  it('a case share raced with the end: one of the two serial outcomes every round, never a 500', async () => {
    const lines: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const person = await krPerson(tf, `LEE Ends ${round}`);
      const id = await krCase(tf, `Shared as it ends ${round}`, [person]);
      const [s, e]: [Answer, Answer] = await together(
        round,
        () => tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' }),
        end,
        1,
      );
      const reads = (await tf['my.officer'].get(`/cases/${id}`)).status;
      const [{ shares }] = await t.dataSource.query(
        `SELECT count(*)::int AS shares FROM case_share WHERE case_id = $1 AND country_code = 'MY'`,
        [id],
      );
      await resume();
      lines.push(
        `round ${round}: share ${said(s)}, end ${said(e)}, MY reads the case: ${reads}, shares ${shares}`,
      );
    }
    const serial = (l: string) =>
      /end 200/.test(l) &&
      (/share 201, .*MY reads the case: 200, shares 1$/.test(l) ||
        // One answer for one cause: whichever of the share's checks found the framework ended.
        /share 400 validation-failed, .*MY reads the case: 404, shares 0$/.test(l));
    expect(broken(lines, serial)).toEqual([]);
  }, 300_000);
});
