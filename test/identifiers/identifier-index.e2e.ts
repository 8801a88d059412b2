import { createTestApp, TestApp } from '../support/test-app';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { send } from '../sharing/support';
import {
  accountKey,
  compoundKey,
  documentKey,
  phoneKey,
  urlKey,
  walletKey,
} from '../../src/sharing/identifier-keys';

/**
 * Issue 20, item 3: identifiers as first-class data. The index is kept by the records' own writes (in
 * their transactions), and "seen in" lists only records the caller's country may see.
 */
describe('Identifier index and "seen in"', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const rowsFor = (recordId: string): Promise<Array<Record<string, string>>> =>
    t.dataSource.query(
      `SELECT match_key, kind, holder_country::text, standing, handling_code, received_from::text, field, qualifier
         FROM identifier_index WHERE record_id = $1 ORDER BY holder_country, field, match_key`,
      [recordId],
    );
  const seenIn = (who: keyof TaskForce, query: string) =>
    (tf[who] as TaskForce['kr.officer']).get(`/identifiers/seen-in?${query}`);
  const newPerson = async (who: 'kh.officer' | 'kr.officer' | 'my.officer', body: object) =>
    (
      await tf[who]
        .post('/persons', { names: [{ full: 'CHEA Sokha', script: 'latin', kind: 'primary' }], ...body })
        .expect(201)
    ).body as { id: string; version: number };

  it('indexes a person on create, follows its edits, in the same transaction as the write', async () => {
    const documents = [{ type: 'passport', number: 'n 0112 233', issuingCountry: 'KH' }];
    const person = await newPerson('kh.officer', { phones: ['+85510111222'], documents });
    expect(await rowsFor(person.id)).toEqual([
      expect.objectContaining({ match_key: 'passport:KH:N0112233', standing: 'own', holder_country: 'KH' }),
      expect.objectContaining({ match_key: 'phone:+85510111222', standing: 'own', field: 'phones' }),
    ]);

    await tf['kh.officer']
      .patch(`/persons/${person.id}`, {
        version: person.version,
        names: [{ full: 'CHEA Sokha', script: 'latin', kind: 'primary' }],
        documents,
        phones: ['+85510111333'],
      })
      .expect(200);
    expect((await rowsFor(person.id)).map((r) => r.match_key)).toEqual([
      'passport:KH:N0112233',
      'phone:+85510111333',
    ]);
  });

  it('indexes a request payload for the origin as its own, and for the target only once sent', async () => {
    const draft = (
      await tf['kr.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            handlingCode: 'GREEN',
            identifiers: {
              phones: ['+85512999000'],
              bankAccounts: [{ institution: 'ABA Bank', accountNumber: '000-777-888' }],
              cryptoAddresses: [{ chain: 'ethereum', address: '0x52908400098527886E0F7030069857D2E4169EE7' }],
              urls: ['https://www.golden-fortune.example/Join/'],
              compounds: ['Golden  Fortune'],
            },
          }),
        )
        .expect(201)
    ).body;
    const own = await rowsFor(draft.id);
    expect(own.every((r) => r.holder_country === 'KR' && r.standing === 'own')).toBe(true);
    expect(own.map((r) => r.match_key).sort()).toEqual([
      'bank_account:000777888',
      'compound:golden fortune',
      'phone:+85512999000',
      'wallet:0x52908400098527886e0f7030069857d2e4169ee7',
      'web:golden-fortune.example/Join',
    ]);
    // KH cannot find a draft it has not been sent, not even as a count.
    const before = await seenIn('kh.officer', 'kind=phone&value=%2B85512999000').expect(200);
    expect(before.body.items).toEqual([]);

    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
    expect((await rowsFor(draft.id)).filter((r) => r.holder_country === 'KH')).toEqual(
      own.map((r) =>
        expect.objectContaining({
          match_key: r.match_key,
          standing: 'received',
          handling_code: 'GREEN',
          received_from: 'KR',
        }),
      ),
    );
    const after = await seenIn('kh.officer', 'kind=bank_account&value=000777888').expect(200);
    expect(after.body).toEqual({
      identifier: { kind: 'bank_account', value: '000777888', qualifier: null },
      items: [
        {
          recordType: 'request',
          recordId: draft.id,
          fields: ['identifiers.bankAccounts'],
          heldAs: 'received',
          handlingCode: 'GREEN',
          borrowedName: null,
        },
      ],
    });
    // Written nationally, with a default region, it is the same number.
    const national = await seenIn('kr.officer', 'kind=phone&value=012%20999%20000&region=KH').expect(200);
    expect(national.body.items).toEqual([expect.objectContaining({ recordId: draft.id, heldAs: 'own' })]);
  });

  it("never shows another country's record that was not shared with the caller", async () => {
    const person = await newPerson('kh.officer', { phones: ['+85516444555'] });
    const own = await seenIn('kh.officer', 'kind=phone&value=%2B85516444555').expect(200);
    expect(own.body.items).toEqual([
      expect.objectContaining({ recordType: 'person', recordId: person.id, heldAs: 'own' }),
    ]);
    for (const who of ['kr.officer', 'kr.auditor', 'my.officer', 'my.liaison'] as const) {
      const res = await seenIn(who, 'kind=phone&value=%2B85516444555').expect(200);
      expect(res.body.items).toEqual([]);
    }
  });

  it('changes nothing in the index when the write is refused', async () => {
    // KR holds +85517000111 only as something KH gave it under AMBER+STRICT: it may not go on to MY.
    const [{ id: kmFramework }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name LIKE 'Korea–Malaysia%'`,
    );
    const given = (
      await tf['kh.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'urgent',
          handlingCode: 'AMBER+STRICT',
          subject: 'A number for you only',
          questions: ['Who uses it in Korea?'],
          identifiers: { phones: ['+85517000111'] },
        })
        .expect(201)
    ).body;
    await send(tf['kh.officer'], tf['kh.liaison'], '/information-requests', given);
    const countRows = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*) AS n FROM identifier_index WHERE match_key = 'phone:+85517000111'`,
          )
        )[0].n,
      );
    const rowsBefore = await countRows();
    await tf['kr.officer']
      .post(
        '/information-requests',
        aDraft(kmFramework, { targetCountry: 'MY', identifiers: { phones: ['+85517000111'] } }),
      )
      .expect(409);
    expect(await countRows()).toBe(rowsBefore);
  });

  it("keys an identifier as identifier_provenance does (the release rule's keys), so receipts are found", async () => {
    const corpus: Array<[string, string, (v: string) => string]> = [
      ['phone', '+85510101010', phoneKey],
      ['phone', '+821099911100', phoneKey],
      ['bank_account', '000-123 456/IO1l', accountKey],
      ['bank_account', 'gb29nwbk60161331926819', accountKey],
      ['wallet', '0x52908400098527886E0F7030069857D2E4169EE7', walletKey],
      ['wallet', 'ethereum:0x52908400098527886e0f7030069857d2e4169ee7', walletKey],
      ['wallet', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', walletKey],
      ['wallet', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', walletKey],
      ['passport', 'M1234 5678', documentKey],
      ['passport', 'io0011il', documentKey],
      ['web', 'https://www.Golden-Fortune.example/join/?ref=10', urlKey],
      ['web', 'golden-fortune.example/', urlKey],
      ['compound', 'Golden Fortune 101', compoundKey],
    ];
    const [{ keys }] = await t.dataSource.query(
      `SELECT array_agg(identifier_provenance_key(x.k, x.v) ORDER BY x.n) AS keys
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(k, v, n)`,
      [corpus.map((c) => c[0]), corpus.map((c) => c[1])],
    );
    expect(keys).toEqual(corpus.map(([, value, tsKey]) => tsKey(value)));
  });

  it('gives no key rather than another key than identifier_provenance records (probe r9)', async () => {
    // Random values of every kind, from printable ASCII and from characters the SQL cannot fold as the
    // TypeScript does (other scripts, look-alikes, other digits, full-width forms, unseen characters).
    const kinds: Array<[string, (v: string) => string]> = [
      ['phone', phoneKey],
      ['bank_account', accountKey],
      ['wallet', walletKey],
      ['passport', documentKey],
      ['web', urlKey],
      ['compound', compoundKey],
    ];
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    const other = 'оМаІ១២๑๒٣۴金龙一九ㅤ\u200bＡ１ßẞºéក';
    const pool = `${ascii}${'0123456789abcdefABCDEF/.-:?=&'.repeat(3)}${other}`;
    let seed = 20261205;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = () => Array.from({ length: 1 + random(12) }, () => pool[random(pool.length)]).join('');
    const corpus: Array<[string, string, (v: string) => string]> = [];
    for (const [kind, tsKey] of kinds)
      for (let i = 0; i < 300; i++) {
        const value =
          kind === 'web' && i % 2
            ? `${['', 'http://', 'https://www.'][random(3)]}${word()}.example/${word()}`
            : word();
        corpus.push([kind, value, tsKey]);
      }
    for (const [kind, tsKey] of kinds)
      for (const value of ['กาสิโน', '金龙', 'Gоlden', '+855១២៣៤៥៦៧៨', '٠١٢٣٤٥٦٧', 'A|B%C'])
        corpus.push([kind, value, tsKey]);
    const [{ keys }] = await t.dataSource.query(
      `SELECT array_agg(identifier_provenance_key(x.k, x.v) ORDER BY x.n) AS keys
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(k, v, n)`,
      [corpus.map((c) => c[0]), corpus.map((c) => c[1])],
    );
    const differing = corpus
      .map(([kind, value, tsKey], i) => ({ kind, value, sql: keys[i], ts: tsKey(value) }))
      .filter((k) => k.sql !== null && k.sql !== k.ts);
    expect(differing).toEqual([]);
    // Printable ASCII values other than web addresses keep their SQL key (no read-back for them), but
    // for `%` and `|` outside a phone.
    const plainAscii = corpus.filter(
      ([kind, value]) =>
        kind !== 'web' && /^[ -~]*$/.test(value) && (kind === 'phone' || !/[%|]/.test(value)),
    );
    expect(plainAscii.length).toBeGreaterThan(300);
    expect(plainAscii.filter((c) => keys[corpus.indexOf(c)] === null)).toEqual([]);
    // No value outside printable ASCII has one.
    expect(corpus.filter(([, value], i) => /[^ -~]/.test(value) && keys[i] !== null)).toEqual([]);
  });

  it('refuses bad input with a 400 that names the field, never a 500', async () => {
    const cases = [
      'kind=phone&value=%2B855%0012345678',
      'kind=phone&value=%1B%5B31m',
      'kind=compound&value=' + encodeURIComponent('\ufdfa'.repeat(20)),
      'kind=email&value=a%40b.example',
      'kind=phone',
      'kind=passport&value=M12345678',
      'kind=phone&value=12345678&region=kh',
      'kind=phone&value=' + 'x'.repeat(400),
      'kind=phone&value=1&value=2',
      'kind=phone&value=%2B85512345678&extra=1',
    ];
    for (const query of cases) {
      const res = await seenIn('kr.officer', query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors?.length).toBeGreaterThan(0);
    }
  });
});
