import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import {
  identifiersKhGaveKr,
  khCaseSharedWithKr,
  khEditsPerson,
  personKhGaveKr,
  RELEASE_REFUSED,
} from './support';

/**
 * A person's accounts (bank accounts, often in a borrowed name, and crypto wallets) travel wherever its
 * phones travel: recorded and edited by the owner, read by a partner that received the person, kept as
 * received in a kept copy, weighed by the release rule on every link, and found by "seen in" for whoever
 * reads the person, and only for them.
 */
describe('A person’s accounts', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
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
  const wallet = (address: string, chain = 'ethereum') => ({ type: 'crypto_wallet', chain, address });
  const evm = (n: number) => `0x${n.toString(16).padStart(4, '0')}${'aB'.repeat(18)}`;
  const seenIn = async (who: SignedIn, kind: string, value: string) =>
    (
      (await who.get(`/identifiers/seen-in?kind=${kind}&value=${encodeURIComponent(value)}`).expect(200)).body
        .items as Array<{ recordType: string; recordId: string; fields: string[] }>
    ).filter((i) => i.recordType === 'person');

  describe('recorded, edited and read by the owner', () => {
    let person: { id: string; version: number; accounts: unknown[] };

    beforeAll(async () => {
      person = (
        await tf['kr.officer']
          .post('/persons', {
            names: names('KIM Nominee'),
            accounts: [
              bank('1100-2233-4455', { holderName: 'PARK Borrowed', borrowedName: true }),
              wallet(evm(1)),
            ],
          })
          .expect(201)
      ).body;
    });

    it('creates the person with its accounts, each with its type’s fields', async () => {
      const expected = [
        {
          type: 'bank_account',
          institutionName: 'ABA Bank',
          accountNumber: '1100-2233-4455',
          holderName: 'PARK Borrowed',
          borrowedName: true,
        },
        { type: 'crypto_wallet', chain: 'ethereum', address: evm(1) },
      ];
      expect(person.accounts).toEqual(expected);
      expect((await tf['kr.officer'].get(`/persons/${person.id}`).expect(200)).body.accounts).toEqual(
        expected,
      );
    });

    it('finds the person by an account number or wallet address however it is written', async () => {
      const found = async (account: string) =>
        (
          (await tf['kr.officer'].get(`/persons?account=${encodeURIComponent(account)}`).expect(200)).body
            .items as Array<{ id: string }>
        ).map((p) => p.id);
      expect(await found('11002233 4455')).toEqual([person.id]);
      expect(await found(evm(1).toLowerCase())).toEqual([person.id]);
      expect(await found('9999')).toEqual([]);
    });

    it('an edit replaces the accounts whole, and its audit event holds them before and after', async () => {
      const edited = (
        await tf['kr.officer']
          .patch(`/persons/${person.id}`, {
            version: person.version,
            names: names('KIM Nominee'),
            accounts: [bank('7788-9900')],
          })
          .expect(200)
      ).body;
      expect(edited.accounts).toEqual([
        {
          type: 'bank_account',
          institutionName: 'ABA Bank',
          accountNumber: '7788-9900',
          holderName: null,
          borrowedName: null,
        },
      ]);
      const events = (
        await tf['kr.auditor'].get(`/audit-events?action=person.update&recordId=${person.id}`).expect(200)
      ).body.items;
      expect(events).toHaveLength(1);
      expect(events[0].changes.before.accounts).toEqual(person.accounts);
      expect(events[0].changes.after.accounts).toEqual(edited.accounts);
      // The owner's "seen in" follows the edit.
      expect(await seenIn(tf['kr.officer'], 'bank_account', '11002233 4455')).toEqual([]);
      expect(await seenIn(tf['kr.officer'], 'bank_account', '77889900')).toEqual([
        expect.objectContaining({ recordId: person.id, fields: ['accounts'] }),
      ]);
    });
  });

  describe('bad input is refused with the field named, never a 500', () => {
    const refused = async (accounts: unknown) => {
      const res = await tf['kr.officer'].post('/persons', { names: names('Bad input'), accounts });
      expect(res.status).toBe(400);
      return res.body.errors as Array<{ field: string; message: string }>;
    };

    // Each named by its field and what is wrong with it (never "accounts should not exist").
    it.each([
      ['not a list', 'ABA 123', 'accounts', /must be an array/],
      ['an unknown type', [{ type: 'paypal', accountNumber: '123' }], 'accounts[0].type', /must be one of/],
      [
        'a bank name that is not text',
        [bank('123', { institutionName: 5 })],
        'accounts[0].institutionName',
        /string/,
      ],
      [
        'an account number with other characters',
        [bank('12#34')],
        'accounts[0].accountNumber',
        /letters, digits/,
      ],
      ['an account number too long', [bank('1'.repeat(65))], 'accounts[0].accountNumber', /64/],
      [
        'a borrowed-name flag that is not a boolean',
        [bank('123', { borrowedName: 'yes' })],
        'accounts[0].borrowedName',
        /boolean/,
      ],
      [
        'a holder name too long',
        [bank('123', { holderName: 'x'.repeat(201) })],
        'accounts[0].holderName',
        /200/,
      ],
      [
        'a NUL in a holder name',
        [bank('123', { holderName: 'a\u0000b' })],
        'accounts[0].holderName',
        /control/,
      ],
      ['an invalid wallet address', [wallet('0x1234')], 'accounts[0].address', /is not a ethereum address/],
      ['an unknown chain', [wallet(evm(2), 'dogecoin')], 'accounts[0].chain', /chain must be one of/],
      [
        'a field of the other type',
        [bank('123', { chain: 'ethereum' })],
        'accounts[0].type',
        /chain does not belong on a bank_account/,
      ],
      ['51 accounts', Array.from({ length: 51 }, (_, i) => bank(`5000${i}`)), 'accounts', /no more than 50/],
      [
        'the same account twice, written differently',
        [bank('5140-1234'), bank('5140 12.34')],
        'accounts',
        /same account/,
      ],
      [
        'the same wallet twice, in other cases',
        [wallet(evm(3)), wallet(evm(3).toLowerCase())],
        'accounts',
        /same account/,
      ],
    ])('%s', async (_what, accounts, field, message) => {
      expect(await refused(accounts)).toContainEqual({ field, message: expect.stringMatching(message) });
    });

    it('50 distinct accounts are accepted', async () => {
      const accounts = Array.from({ length: 50 }, (_, i) => bank(`5000${i}`));
      const p = (await tf['kr.officer'].post('/persons', { names: names('Fifty'), accounts }).expect(201))
        .body;
      expect(p.accounts).toHaveLength(50);
    });

    it('an edit with a duplicate is refused too, and changes nothing', async () => {
      const p = (
        await tf['kr.officer']
          .post('/persons', { names: names('Edit dup'), accounts: [bank('4321')] })
          .expect(201)
      ).body;
      const res = await tf['kr.officer']
        .patch(`/persons/${p.id}`, {
          version: p.version,
          names: names('Edit dup'),
          accounts: [bank('43-21'), bank('4321')],
        })
        .expect(400);
      expect(res.body.errors).toContainEqual({
        field: 'accounts',
        message: expect.stringMatching(/same account/),
      });
      expect((await tf['kr.officer'].get(`/persons/${p.id}`).expect(200)).body.accounts).toHaveLength(1);
    });
  });

  describe('a partner receiving the person through a shared case', () => {
    let personId: string;
    const account = '8800-1111-2222';
    const address = evm(10);

    beforeAll(async () => {
      ({ personId } = await khCaseSharedWithKr(
        tf,
        {
          names: names('SOK Accounts'),
          nationalities: ['KH'],
          accounts: [bank(account, { borrowedName: true }), wallet(address)],
        },
        'KH case with accounts',
      ));
    });

    it('reads its accounts; a country it was never given to reads nothing', async () => {
      const read = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
      expect(read.accounts).toEqual([
        {
          type: 'bank_account',
          institutionName: 'ABA Bank',
          accountNumber: account,
          holderName: null,
          borrowedName: true,
        },
        { type: 'crypto_wallet', chain: 'ethereum', address },
      ]);
      await tf['my.officer'].get(`/persons/${personId}`).expect(404);
    });

    it('"seen in" finds the person by its account for the owner and the partner, never for MY', async () => {
      for (const who of [tf['kh.officer'], tf['kr.officer']]) {
        expect(await seenIn(who, 'bank_account', '880011112222')).toEqual([
          expect.objectContaining({ recordId: personId, fields: ['accounts'] }),
        ]);
        expect(await seenIn(who, 'wallet', address.toLowerCase())).toEqual([
          expect.objectContaining({ recordId: personId, fields: ['accounts'] }),
        ]);
      }
      expect(await seenIn(tf['my.officer'], 'bank_account', '880011112222')).toEqual([]);
      expect(await seenIn(tf['my.officer'], 'wallet', address)).toEqual([]);
      // Nor does its search find it.
      expect((await tf['my.officer'].get(`/persons?account=${account}`).expect(200)).body.items).toEqual([]);
    });
  });

  describe('the release rule weighs a person’s accounts as it weighs its phones', () => {
    /** A KR case holding `personId`, shared with MY (a third country KH has no framework with). */
    const shareWithMy = async (personId: string) => {
      const kase = (
        await tf['kr.officer']
          .post('/cases', { title: 'Shared with MY', persons: [{ personId, role: 'suspect' }] })
          .expect(201)
      ).body;
      return tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    };

    it.each([
      ['an account number', bank('6600-7777-01'), bank('660077 7701'), 'accounts[0].accountNumber'],
      ['a wallet address', wallet(evm(20)), wallet(evm(20).toLowerCase()), 'accounts[0].address'],
    ])(
      '%s KH gave under AMBER+STRICT on a person, copied onto a person KR records, does not reach MY',
      async (_what, given, copied, field) => {
        await personKhGaveKr(tf, 'AMBER+STRICT', 'CHEA Strict', { accounts: [given] });
        const own = (
          await tf['kr.officer']
            .post('/persons', { names: names('KR copy of CHEA'), accounts: [copied] })
            .expect(201)
        ).body;
        const res = await shareWithMy(own.id);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER+STRICT'] });
        expect(res.body.errors[0].field).toBe(`persons[0].${field}`);
        await tf['my.officer'].get(`/persons/${own.id}`).expect(404);
      },
    );

    it('a wallet KH named in its findings under AMBER+STRICT is the same identifier on a person KR records', async () => {
      // One key space: the findings' `cryptoAddresses` and a person's wallet (its `0x` shed alike).
      const address = evm(30);
      await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
        cryptoAddresses: [{ chain: 'ethereum', address }],
      });
      const own = (
        await tf['kr.officer']
          .post('/persons', {
            names: names('KR wallet owner'),
            accounts: [wallet(address.toUpperCase().replace('0X', '0x'))],
          })
          .expect(201)
      ).body;
      const res = await shareWithMy(own.id);
      expect(res.status).toBe(409);
      expect(res.body.errors[0].field).toBe('persons[0].accounts[0].address');
      await tf['my.officer'].get(`/persons/${own.id}`).expect(404);
    });

    it('an account KH gave under AMBER+STRICT, written into a KR person already shared with MY, is refused', async () => {
      await personKhGaveKr(tf, 'AMBER+STRICT', 'PRAK Strict', { accounts: [bank('3300-4400-55')] });
      const own = (await tf['kr.officer'].post('/persons', { names: names('KR informant') }).expect(201))
        .body;
      expect((await shareWithMy(own.id)).status).toBe(201);
      const res = await tf['kr.officer']
        .patch(`/persons/${own.id}`, {
          version: own.version,
          names: names('KR informant'),
          accounts: [bank('33004400 55')],
        })
        .expect(409);
      expect(res.body.errors[0].field).toBe('accounts[0].accountNumber');
      expect((await tf['my.officer'].get(`/persons/${own.id}`).expect(200)).body.accounts).toEqual([]);
    });
  });

  describe('a kept copy keeps the accounts as received', () => {
    let personId: string;
    const before = '2200-3300-44';
    const after = '2200-3300-99';

    beforeAll(async () => {
      let caseId: string;
      ({ personId, caseId } = await khCaseSharedWithKr(
        tf,
        { names: names('SOK Kept'), nationalities: ['KH'], accounts: [bank(before)] },
        'KH case, then no longer shared',
        'CLEAR',
      ));
      await tf['kr.officer']
        .post('/cases', { title: 'KR own case', persons: [{ personId, role: 'suspect' }] })
        .expect(201);
      await tf['kh.liaison'].delete(`/cases/${caseId}/shares/KR`).expect(200);
      await khEditsPerson(tf, personId, { accounts: [bank(after)] });
    });

    it('KR reads the accounts it received, not the owner’s later edit; KH reads its edit', async () => {
      expect(
        (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body.accounts.map(
          (a: { accountNumber: string }) => a.accountNumber,
        ),
      ).toEqual([before]);
      expect(
        (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body.accounts.map(
          (a: { accountNumber: string }) => a.accountNumber,
        ),
      ).toEqual([after]);
    });

    it('"seen in" answers KR from its copy, KH from the live person', async () => {
      const ids = async (who: SignedIn, value: string) =>
        (await seenIn(who, 'bank_account', value)).map((i) => i.recordId);
      expect(await ids(tf['kr.officer'], before)).toEqual([personId]);
      expect(await ids(tf['kr.officer'], after)).toEqual([]);
      expect(await ids(tf['kh.officer'], before)).toEqual([]);
      expect(await ids(tf['kh.officer'], after)).toEqual([personId]);
    });

    it('KR’s search finds the copy by what it holds, not by the owner’s edit', async () => {
      const found = async (account: string) =>
        (
          (await tf['kr.officer'].get(`/persons?account=${account}`).expect(200)).body.items as Array<{
            id: string;
          }>
        ).map((p) => p.id);
      expect(await found(before)).toEqual([personId]);
      expect(await found(after)).toEqual([]);
    });
  });
});
