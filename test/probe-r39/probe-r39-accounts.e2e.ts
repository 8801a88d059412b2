import type { SignedIn } from '../support/http';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';

/**
 * Probe r39, part 2: a person's accounts (bank accounts and wallets on persons, merged today), tried as a
 * partner. KR receives KH's accounts under restrictive codes and tries to pass them on to MY (a country
 * KH has no framework with) through a person's `accounts`, in every field of an account; MY and KR's
 * non-recipients ask the search, "seen in" and identifier checks about accounts of persons they never
 * received.
 */
describe('Probe r39: a person’s accounts as a partner', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, { MFA_REQUIRED_ROLES: '' });
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  const names = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
  const bank = (accountNumber: string, over: object = {}) => ({
    type: 'bank_account',
    institutionName: 'ABA Bank',
    accountNumber,
    ...over,
  });
  const wallet = (address: string) => ({ type: 'crypto_wallet', chain: 'ethereum', address });
  const evm = (n: number) => `0x${n.toString(16).padStart(4, '0')}${'cD'.repeat(18)}`;

  /** A KR case holding `personId`, shared with MY. */
  const shareWithMy = async (personId: string) => {
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR case for MY', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    return tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
  };
  const krPerson = async (full: string, accounts: object[]) =>
    (await tf['kr.officer'].post('/persons', { names: names(full), accounts }).expect(201)).body as {
      id: string;
      version: number;
    };
  const seenIn = async (who: SignedIn, kind: string, value: string) =>
    (
      (await who.get(`/identifiers/seen-in?kind=${kind}&value=${encodeURIComponent(value)}`).expect(200)).body
        .items as Array<{ recordType: string; recordId: string }>
    ).filter((i) => i.recordType === 'person');
  const searched = async (who: SignedIn, account: string) =>
    (
      (await who.get(`/persons?account=${encodeURIComponent(account)}`).expect(200)).body.items as Array<{
        id: string;
      }>
    ).map((p) => p.id);

  describe.each(['AMBER+STRICT', 'RED'])('an account KR received under %s', (code) => {
    const n = code === 'RED' ? 2 : 1;
    const account = `66${n}0-7777-0${n}`;
    const joined = account.replace(/-/g, '');
    const address = evm(40 + n);
    let received: string;
    beforeAll(async () => {
      received = await personKhGaveKr(tf, code as 'RED', `CHEA ${code}`, {
        accounts: [bank(account, { borrowedName: true }), wallet(address)],
      });
    });

    it.each([
      ['its account number, in accountNumber', () => [bank(`${joined.slice(0, 5)} ${joined.slice(5)}`)]],
      ['its account number, in holderName', () => [bank('1234', { holderName: `Nominee of ${account}` })]],
      ['its account number, in institutionName', () => [bank('1235', { institutionName: `ABA ${joined}` })]],
      ['its wallet address', () => [wallet(address.toLowerCase())]],
    ])('GUARD: %s on a person KR records does not reach MY by a case share', async (_what, accounts) => {
      const own = await krPerson(`KR copy ${code} ${_what}`, accounts());
      const res = await shareWithMy(own.id);
      expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
      expect(res.body.rules).toEqual([code]);
      await tf['my.officer'].get(`/persons/${own.id}`).expect(404);
    });

    it('GUARD: written into a KR person already shared with MY (holderName), the edit is refused', async () => {
      const own = await krPerson(`KR shared early ${code}`, []);
      expect((await shareWithMy(own.id)).status).toBe(201);
      const res = await tf['kr.officer'].patch(`/persons/${own.id}`, {
        version: own.version,
        names: names(`KR shared early ${code}`),
        accounts: [bank('4444', { holderName: `held for ${account}` })],
      });
      expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: RELEASE_REFUSED });
      expect((await tf['my.officer'].get(`/persons/${own.id}`).expect(200)).body.accounts).toEqual([]);
    });

    it('GUARD: the received person itself, or a KR person with its account, named in a request to MY is refused', async () => {
      const own = await krPerson(`KR request copy ${code}`, [bank(joined)]);
      for (const personIds of [[received], [own.id]]) {
        const res = await tf['kr.officer'].post('/information-requests', {
          frameworkId: (
            await t.dataSource.query(`SELECT id FROM framework WHERE name LIKE 'Korea–Malaysia%'`)
          )[0].id,
          targetCountry: 'MY',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Who holds these accounts?',
          questions: ['Known to you?'],
          personIds,
        });
        expect({ personIds, status: res.status, type: res.body.type }).toEqual({
          personIds,
          status: 409,
          type: RELEASE_REFUSED,
        });
      }
    });

    it('GUARD: MY’s hit/no-hit check to KR does not hit an account KR holds only because KH gave it (copied onto its own person too)', async () => {
      await krPerson(`KR hit copy ${code}`, [bank(account), wallet(address)]);
      const view = (
        await tf['my.officer']
          .post('/identifier-checks', {
            partners: ['KR'],
            identifiers: [
              { kind: 'bank_account', value: account },
              { kind: 'wallet', value: address },
            ],
          })
          .expect(201)
      ).body as { results: Array<{ answers: Array<{ country: string; answer: string }> }> };
      expect(view.results.map((r) => r.answers.find((a) => a.country === 'KR')?.answer)).toEqual([
        'no_hit',
        'no_hit',
      ]);
    });

    it('GUARD: MY’s search and "seen in" do not find the account (KH’s person nor KR’s copies)', async () => {
      expect(await searched(tf['my.officer'], account)).toEqual([]);
      expect(await searched(tf['my.officer'], address)).toEqual([]);
      expect(await seenIn(tf['my.officer'], 'bank_account', joined)).toEqual([]);
      expect(await seenIn(tf['my.officer'], 'wallet', address)).toEqual([]);
    });
  });

  describe('a KH person that reaches KR only on a RED request (recipients: KR’s liaisons, the assigned officer)', () => {
    const account = '5150-6160-7170';
    const address = evm(77);
    let personId: string;
    beforeAll(async () => {
      personId = (
        await tf['kh.officer']
          .post('/persons', { names: names('SOK Red Only'), accounts: [bank(account), wallet(address)] })
          .expect(201)
      ).body.id as string;
      await givenIn(tf)
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('RED')
        .with({ subject: 'Whose accounts?', personIds: [personId] })
        .assignedTo('kr.officer');
    });

    it('GUARD: the recipients find it by its account; KR’s other officer and MY do not (search, "seen in")', async () => {
      expect(await searched(tf['kr.liaison'], account)).toEqual([personId]);
      expect(await searched(tf['kr.officer'], address)).toEqual([personId]);
      for (const who of [tf['kr.officer2'], tf['my.officer']]) {
        expect(await searched(who, account)).toEqual([]);
        expect(await searched(who, address)).toEqual([]);
        expect(await seenIn(who, 'bank_account', account)).toEqual([]);
        expect(await seenIn(who, 'wallet', address)).toEqual([]);
      }
    });

    it('GUARD: the assigned officer cannot even record its account on a KR person (every KR officer would read it: 409 RED)', async () => {
      for (const accounts of [
        [bank(account.replace(/-/g, ' '))],
        [bank('3131', { holderName: `for ${account}` })],
        [wallet(address.toLowerCase())],
      ]) {
        const res = await tf['kr.officer'].post('/persons', { names: names('KR copy of red'), accounts });
        expect({ status: res.status, type: res.body.type, rules: res.body.rules }).toEqual({
          status: 409,
          type: RELEASE_REFUSED,
          rules: ['RED'],
        });
      }
    });
  });

  describe('an account KH never gave anyone', () => {
    it('GUARD: KR and MY find nothing by search, "seen in" or an answer of a check that hits', async () => {
      const account = '9090-8080-7070';
      const personId = (
        await tf['kh.officer']
          .post('/persons', { names: names('SOK Unshared'), accounts: [bank(account)] })
          .expect(201)
      ).body.id as string;
      expect(await searched(tf['kh.officer'], account)).toEqual([personId]);
      for (const who of [tf['kr.officer'], tf['kr.liaison'], tf['my.officer']]) {
        expect(await searched(who, account)).toEqual([]);
        expect(await searched(who, account.replace(/-/g, ''))).toEqual([]);
        expect(await seenIn(who, 'bank_account', account)).toEqual([]);
      }
      // The search's audit trail of MY names no KH person (shown: none).
      const [event] = await t.dataSource.query(
        `SELECT details FROM audit_event WHERE action = 'person.search' AND owner_country = 'MY'
          ORDER BY id DESC LIMIT 1`,
      );
      expect(event?.details?.shown ?? []).toEqual([]);
    });
  });
});
