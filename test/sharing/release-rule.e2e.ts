import { walletKey } from '../../src/sharing/identifier-keys';
import { Given, givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  frameworkId,
  identifiersKhGaveKr as identifiersKhGaveKrIn,
  personKhGaveKr,
  RELEASE_REFUSED,
  send,
} from './support';

/** The paths 1, 2 and 9 as named regressions, and consent to pass on (`release` requests). */
describe('The release rule: onward sharing, frameworks, and consent', () => {
  let t: TestApp;
  let tf: TaskForce;
  let given: Given;
  let krMy: string;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    given = givenIn(tf);
    krMy = await frameworkId(t, 'Korea–Malaysia');
  });
  afterAll(() => t?.close());

  const caseWith = async (personId: string) =>
    (
      await tf['kr.officer']
        .post('/cases', { title: 'Compound network', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };

  it('path 1: a person MY sent KR under AMBER+STRICT does not reach KH through a case KR shares', async () => {
    const q = (
      await tf['my.officer']
        .post('/persons', {
          names: [{ full: 'LIM Kosal', script: 'latin', kind: 'primary' }],
          notes: 'MY source: moves cash for the network',
        })
        .expect(201)
    ).body.id as string;
    await given
      .anInformationRequest()
      .from('MY')
      .sentTo('KR')
      .handledAs('AMBER+STRICT')
      .about(q)
      .with({ subject: 'Do you know LIM Kosal?', questions: ['Any entries to Korea?'] })
      .sent();
    await tf['kr.officer'].get(`/persons/${q}`).expect(200);
    const kase = await caseWith(q);
    const refused = await tf['kr.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'KH' })
      .expect(409);
    expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
    expect(refused.body.askRelease).toBeUndefined(); // never passed on: nothing to ask
    await tf['kh.officer'].get(`/persons/${q}`).expect(404);
    await tf['kh.officer'].get(`/cases/${kase.id}`).expect(404);
  });

  it('path 2: linking a person received under AMBER into a case already shared with MY is refused', async () => {
    const p = await personKhGaveKr(tf, 'AMBER');
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Empty at first' }).expect(201)).body;
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const refused = await tf['kr.officer']
      .post(`/cases/${kase.id}/persons`, { persons: [{ personId: p, role: 'suspect' }] })
      .expect(409);
    expect(refused.body.errors).toEqual([
      {
        field: 'persons[0].personId',
        message: 'persons[0].personId was received under TLP:AMBER and may not go to MY',
      },
    ]);
    expect((await tf['kr.officer'].get(`/cases/${kase.id}`).expect(200)).body.persons).toEqual([]);
    await tf['my.officer'].get(`/persons/${p}`).expect(404);
  });

  it('path 9: cases and arrests are shared only with a country of an active framework', async () => {
    const kase = (await tf['kr.officer'].post('/cases', { title: 'Domestic' }).expect(201)).body;
    const vn = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'VN' }).expect(400);
    expect(vn.body.errors).toEqual([
      { field: 'countryCode', message: 'no active cooperation framework joins KR and VN' },
    ]);
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'LA',
          person: { names: [{ full: 'SOUK Phan', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'LA' }).expect(400);
    const shares = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM case_share WHERE case_id = $1 UNION ALL SELECT count(*)::int FROM arrest_share WHERE arrest_id = $2`,
      [kase.id, arrest.id],
    );
    expect(shares).toEqual([{ n: 0 }, { n: 0 }]);
  });

  describe('consent to pass on: a release request', () => {
    const ask = async (personId: string) => {
      const draft = await tf['kr.officer'].post('/release-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        recipientCountry: 'MY',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'May SOK Vanna go to Malaysia? He crossed into Johor.',
        personIds: [personId],
      });
      return draft;
    };

    it('KH accepts: the grant is recorded and the share to MY then succeeds', async () => {
      const p = await personKhGaveKr(tf, 'AMBER');
      const kase = await caseWith(p);
      await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(409);
      const draft = (await ask(p)).body;
      expect(draft).toMatchObject({
        kind: 'release',
        status: 'draft',
        recipientCountry: 'MY',
        personIds: [p],
        granted: false,
      });
      const sent = await send(tf['kr.officer'], tf['kr.liaison'], '/release-requests', draft);
      const inbound = (await tf['kh.liaison'].get(`/release-requests/${sent.id}`).expect(200)).body;
      expect(inbound).toMatchObject({
        direction: 'inbound',
        allowedActions: expect.arrayContaining(['accept', 'reject']),
      });
      await tf['my.officer'].get(`/release-requests/${sent.id}`).expect(404);
      const accepted = await tf['kh.liaison']
        .post(`/release-requests/${sent.id}/accept`, { version: sent.version })
        .expect(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', granted: true });

      const shared = await tf['kr.liaison']
        .post(`/cases/${kase.id}/shares`, { countryCode: 'MY' })
        .expect(201);
      expect(shared.body.sharedWith).toEqual([
        expect.objectContaining({ countryCode: 'MY', handlingCode: 'AMBER' }),
      ]);
      await tf['my.officer'].get(`/persons/${p}`).expect(200);
      // MY holds it under AMBER in turn: passing it on again needs KH's consent once more.
      const [provenance] = await t.dataSource.query(
        `SELECT handling_code, originator_country FROM person_provenance WHERE person_id = $1 AND receiving_country = 'MY'`,
        [p],
      );
      expect(provenance).toEqual({ handling_code: 'AMBER', originator_country: 'KH' });
    });

    it('KH rejects: the share stays refused', async () => {
      const p = await personKhGaveKr(tf, 'AMBER');
      const kase = await caseWith(p);
      const rejected = await given
        .aRequest('release')
        .from('KR')
        .sentTo('KH')
        .about(p)
        .with({ recipientCountry: 'MY', subject: 'May SOK Vanna go to Malaysia?' })
        .rejected('Source protection');
      expect(rejected).toMatchObject({ status: 'rejected', granted: false });
      await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(409);
      await tf['my.officer'].get(`/persons/${p}`).expect(404);
    });

    it('cannot be asked for what is never passed on, nor for a person KH did not give', async () => {
      const strict = await personKhGaveKr(tf, 'AMBER+STRICT');
      const refused = await ask(strict);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe('personIds[0]');
      const own = (
        await tf['kr.officer']
          .post('/persons', { names: [{ full: 'KIM Own', script: 'latin', kind: 'primary' }] })
          .expect(201)
      ).body.id;
      expect((await ask(own)).status).toBe(400);
    });
  });

  describe('identifiers travel under the rule too: phones, accounts, wallets', () => {
    const identifiersKhGaveKr = (code: string, answered: object, asked: string[] = []) =>
      identifiersKhGaveKrIn(tf, code, answered, asked);
    const freezeAtMy = (accountNumber: string) =>
      tf['kr.officer'].post('/asset-freeze-requests', {
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'immediate',
        handlingCode: 'AMBER',
        subject: 'Freeze the mule account',
        targets: [
          {
            type: 'bank_account',
            institutionName: 'Maybank',
            institutionCode: 'MBBEMYKL',
            accountNumber,
            borrowedName: true,
            amountSought: { amount: '50000.00', currency: 'USD' },
            grounds: { summary: 'Scam proceeds' },
          },
        ],
      });
    const askMy = (phones: string[]) =>
      tf['kr.officer'].post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Is this number active in Malaysia?',
        questions: ['Subscriber?'],
        identifiers: { phones },
      });

    it('an account KH gave under AMBER+STRICT is not sent to MY for freezing, however it is written', async () => {
      await identifiersKhGaveKr('AMBER+STRICT', {
        bankAccounts: [{ institution: 'ABA', accountNumber: '0012-3456-789' }],
      });
      const refused = await freezeAtMy('00123456789').expect(409);
      expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
      expect(refused.body.errors[0].field).toBe('targets[0].accountNumber');
      await freezeAtMy('0099-0000-111').expect(201); // an account KR found itself goes
    });

    it('a phone KR asked about first stays KR’s own, even when KH echoes it back under RED', async () => {
      await identifiersKhGaveKr('RED', { phones: ['+85570111222', '+85570999888'] }, ['+85570111222']);
      await askMy(['+85570111222']).expect(201);
      const refused = await askMy(['+85570999888']).expect(409);
      expect(refused.body.errors).toEqual([
        {
          field: 'identifiers.phones[0]',
          message: 'identifiers.phones[0] was received under TLP:RED and may not go to MY',
        },
      ]);
    });

    it('a phone KR named before KH’s request naming it reached KR stays KR’s own, however long KH’s draft waited', async () => {
      const phone = '+85570333444';
      const khAsks = given
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('AMBER')
        .with({
          subject: 'Whose number is this?',
          questions: ['Subscriber?'],
          identifiers: { phones: [phone] },
        });
      await khAsks.drafted(); // KH's draft waits for its liaison
      await askMy([phone]).expect(201); // meanwhile KR names the phone itself: its own
      await khAsks.sent(); // only now does KH's request reach KR
      // Counted from KH's draft, KH's receipt came before KR's own naming: refused as KH's AMBER.
      await askMy([phone]).expect(201);
    });

    it('control: a phone KR first names after KH’s AMBER request naming it reached KR is KH’s, and stays in', async () => {
      const phone = '+85570333555';
      await given
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('AMBER')
        .with({
          subject: 'Whose number is this?',
          questions: ['Subscriber?'],
          identifiers: { phones: [phone] },
        })
        .sent();
      const refused = await askMy([phone]).expect(409);
      expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER'] });
    });

    it('an AMBER wallet goes on once KH consents', async () => {
      const wallet = 'TQ4ZxKp8kd7w3hQ9mQe4s7cVbR2nYk1aPz';
      await identifiersKhGaveKr('AMBER', { cryptoAddresses: [{ chain: 'tron', address: wallet }] });
      const inquiry = () =>
        tf['kr.officer'].post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Who cashes out this wallet?',
          questions: ['Exchange accounts?'],
          identifiers: { cryptoAddresses: [{ chain: 'tron', address: wallet }] },
        });
      expect((await inquiry().expect(409)).body.askRelease).toBe('/api/v1/release-requests');
      const release = given
        .aRequest('release')
        .from('KR')
        .sentTo('KH')
        .with({
          recipientCountry: 'MY',
          subject: 'May we ask Malaysia about this wallet?',
          identifiers: { cryptoAddresses: [{ address: wallet }] },
        });
      // Named by the one key it is weighed under, whatever field or spelling it comes in.
      expect((await release.drafted()).identifiers).toEqual([walletKey(wallet)]);
      await release.accepted();
      await inquiry().expect(201);
    });

    it('a passport number KH gave under AMBER+STRICT, copied into a person KR records itself, does not reach MY', async () => {
      await given
        .anInformationRequest()
        .from('KR')
        .sentTo('KH')
        .handledAs('AMBER+STRICT')
        .with({ subject: 'Who travels on this passport?', questions: ['Holder?'] })
        .fulfilled({
          findings: {
            summary: 'Holder found',
            persons: [
              {
                names: [{ full: 'CHEA Sopheap', script: 'latin', kind: 'primary' }],
                documents: [{ type: 'passport', number: 'N0123-4567', issuingCountry: 'KH' }],
              },
            ],
          },
        });
      const copy = (
        await tf['kr.officer']
          .post('/persons', {
            names: [{ full: 'CHEA Sopheap', script: 'latin', kind: 'primary' }],
            documents: [{ type: 'passport', number: 'n01234567', issuingCountry: 'KH' }],
          })
          .expect(201)
      ).body.id;
      const kase = await caseWith(copy);
      const refused = await tf['kr.liaison']
        .post(`/cases/${kase.id}/shares`, { countryCode: 'MY' })
        .expect(409);
      expect(refused.body.rules).toEqual(['AMBER+STRICT']);
      const own = (
        await tf['kr.officer']
          .post('/persons', {
            names: [{ full: 'CHEA Sopheap', script: 'latin', kind: 'primary' }],
            documents: [{ type: 'passport', number: 'N7654321', issuingCountry: 'KH' }],
          })
          .expect(201)
      ).body.id;
      await tf['kr.liaison']
        .post(`/cases/${(await caseWith(own)).id}/shares`, { countryCode: 'MY' })
        .expect(201);
    });
  });
});
