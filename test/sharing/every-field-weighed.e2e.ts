// class-transformer ships this module's types apart from its code.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore
import { defaultMetadataStorage as untyped } from 'class-transformer/cjs/storage';
import type { defaultMetadataStorage as Typed } from 'class-transformer/types/storage';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { CreateAssetFreezeRequestDto } from '../../src/asset-freezes/dto/asset-freeze-request.dto';
import { ProposeEntriesDto } from '../../src/blacklist/dto/blacklist.dto';
import { CreateInformationRequestDto } from '../../src/information-requests/dto/information-request.dto';
import { SYSTEM_WRITTEN } from '../../src/sharing/provenance.store';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, identifiersKhGaveKr, RELEASE_REFUSED } from './support';

/**
 * The release rule weighs everything that leaves, not a list of fields: this test ENUMERATES what
 * leaves and writes a number KH gave KR under AMBER+STRICT into each part of it in turn. A field or a
 * column added later is enumerated too, so one that is not weighed fails here.
 *
 * - Request bodies that go to the other country (an information request, an asset freeze): every
 *   property of the DTO, nested ones too, found from its class-validator metadata. Properties that
 *   cannot hold a number (choices, ids, booleans, at most four characters) are left out; every other
 *   one, holding the number in some form its validation accepts, is refused (409) and never accepted.
 * - Records a share sends (an arrest, a person, a case): every text, array or JSON column of its
 *   table, found in the database's catalogue, holding the number (set directly, as any later code
 *   path might write it), makes the share refused; only columns the system writes (`SYSTEM_WRITTEN`,
 *   a case's reference) are left out.
 */
describe('every field of what leaves is weighed by the release rule', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  let krPerson: string;
  const account = '739201846655';
  const phone = '+85597788123';
  const wallet = '0x8bA1f109551bD432803012645Ac136ddd64DBA72';
  const forms = [account, `Acct ${account}`, `https://pay.example/${account}`, phone, wallet];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await frameworkId(t, 'Korea–Malaysia');
    await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
      bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }],
      phones: [phone],
      cryptoAddresses: [{ chain: 'ethereum', address: wallet }],
    });
    krPerson = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'HAN Jisoo', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id;
  }, 120_000);
  afterAll(() => t?.close());

  describe('request bodies, field by field (class-validator metadata)', () => {
    const bankAccount = {
      type: 'bank_account',
      institutionName: 'Maybank',
      institutionCode: 'MBBEMYKL',
      accountNumber: '514012345678',
      borrowedName: false,
    };
    const walletTarget = {
      type: 'crypto_wallet',
      chain: 'ethereum',
      address: '0x52908400098527886E0F7030069857D2E4169EE7',
      exchangeName: 'Binance',
    };
    const cases = () => [
      {
        dto: CreateInformationRequestDto,
        path: '/information-requests',
        bases: [
          {
            frameworkId: krMy,
            targetCountry: 'MY',
            priority: 'urgent',
            handlingCode: 'AMBER',
            subject: 'Mule accounts',
            questions: ['Who holds these?'],
            identifiers: {
              phones: ['+60123456789'],
              bankAccounts: [{ institution: 'Maybank', accountNumber: '514012345678', holderName: 'TAN' }],
              cryptoAddresses: [{ chain: 'ethereum', address: '0x52908400098527886E0F7030069857D2E4169EE7' }],
              urls: ['https://example.com/a'],
              compounds: ['Golden Fortune'],
            },
          },
        ],
        expected: ['identifiers.bankAccounts[0].holderName', 'identifiers.bankAccounts[0].institution'],
      },
      {
        dto: CreateAssetFreezeRequestDto,
        path: '/asset-freeze-requests',
        // A target is a bank account or a wallet: each field is tried on both.
        bases: [bankAccount, walletTarget].map((target) => ({
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Freeze the mule account',
          targets: [
            {
              ...target,
              holderName: 'TAN Ah Kow',
              amountSought: { amount: '25000', currency: 'MYR' },
              grounds: {
                summary: 'Victim deposits traced here',
                victimLosses: [{ personId: krPerson, loss: { amount: '100', currency: 'MYR' } }],
              },
            },
          ],
        })),
        expected: ['targets[0].institutionCode', 'targets[0].holderName', 'targets[0].grounds.summary'],
      },
      {
        dto: ProposeEntriesDto,
        path: '/blacklist-entries/batch',
        bases: [
          {
            frameworkId: krMy,
            banningCountry: 'MY',
            handlingCode: 'AMBER',
            subject: 'Recruiters',
            entries: [
              {
                person: {
                  names: [
                    { full: 'SOK Dara', family: 'Sok', given: 'Dara', script: 'latin', kind: 'primary' },
                  ],
                  nationalities: ['KH'],
                  documents: [{ type: 'passport', number: 'N1234567', issuingCountry: 'KH' }],
                  phones: ['+60123456789'],
                },
                grounds: 'Recruiter for the compound.',
                groundsSummary: 'Recruiter',
              },
            ],
          },
        ],
        expected: [
          'subject',
          'entries[0].grounds',
          'entries[0].groundsSummary',
          'entries[0].person.names[0].full',
        ],
      },
    ];

    it.each([0, 1, 2])('refuses the number in every text field of body #%i', async (n) => {
      const { dto, path, bases, expected } = cases()[n]!;
      const fields = textFields(dto);
      expect(fields.map(pathName)).toEqual(expect.arrayContaining(expected));
      const seen: Record<string, string> = {};
      for (const field of fields) {
        const outcomes: string[] = [];
        for (const base of bases)
          for (const form of forms) {
            const res = await tf['kr.officer'].post(path, withValue(base, field, form));
            outcomes.push(res.status === 409 ? `409 ${res.body.type}` : String(res.status));
          }
        // Never accepted in any form, and refused by the release rule in a form validation lets through
        // (a field whose validation lets no form through, a date or a document number, cannot carry it).
        const unweighed =
          outcomes.some((o) => o.startsWith('2')) ||
          !(outcomes.includes(`409 ${RELEASE_REFUSED}`) || outcomes.every((o) => o === '400'));
        seen[pathName(field)] = unweighed ? outcomes.join(',') : 'refused';
      }
      expect(seen).toEqual(Object.fromEntries(fields.map((f) => [pathName(f), 'refused'])));
      // Each base is a body the API accepts (tried last: a freeze target is asked for once), so a field
      // refused in every form was refused for its value.
      for (const base of bases) expect((await tf['kr.officer'].post(path, base)).status).toBe(201);
    });
  });

  describe('records a share sends, column by column (the database catalogue)', () => {
    /** Text, array and JSON columns of `table`: where a number could be written. */
    const columns = async (table: string): Promise<Array<{ name: string; type: string }>> =>
      (
        await t.dataSource.query(
          `SELECT column_name AS name, data_type AS type FROM information_schema.columns
            WHERE table_name = $1 AND table_schema = current_schema()
              AND data_type IN ('text', 'character varying', 'character', 'ARRAY', 'jsonb', 'json')
            ORDER BY ordinal_position`,
          [table],
        )
      ).map((c: { name: string; type: string }) => c);

    /** Writes the number into `column`; false when the column's type or constraints refuse free text. */
    const writeNumber = async (table: string, column: { name: string; type: string }, id: string) => {
      const value =
        column.type === 'ARRAY'
          ? `ARRAY[$2::text]`
          : column.type.startsWith('json')
            ? `jsonb_build_array(jsonb_build_object('full', $2::text, 'script', 'latin', 'kind', 'primary'))`
            : `$2::text`;
      try {
        await t.dataSource.query(`UPDATE ${table} SET "${column.name}" = ${value} WHERE id = $1`, [
          id,
          `Acct ${account}`,
        ]);
        return true;
      } catch {
        return false; // a choice, a country code…: cannot hold the number
      }
    };

    const enumerate = async (
      table: string,
      create: () => Promise<string>,
      share: (id: string) => Promise<{ status: number; body: { type?: string } }>,
    ) => {
      const seen: Record<string, string> = {};
      for (const column of await columns(table)) {
        if (SYSTEM_WRITTEN[table]?.includes(column.name)) continue; // no user writes it
        const id = await create();
        if (!(await writeNumber(table, column, id))) continue;
        const res = await share(id);
        seen[column.name] = `${res.status} ${res.body.type ?? ''}`;
      }
      return seen;
    };
    const refusedAll = (seen: Record<string, string>) =>
      Object.fromEntries(Object.keys(seen).map((c) => [c, `409 ${RELEASE_REFUSED}`]));

    it('refuses an arrest share whatever column of the arrest holds the number', async () => {
      const seen = await enumerate(
        'arrest',
        async () =>
          (
            await tf['kr.officer']
              .post('/arrests', {
                arrestedAt: '2026-03-01T02:30:00Z',
                place: 'Incheon',
                grounds: 'Online fraud',
                arrestingAgency: 'KNP',
                nationality: 'KH',
                person: { names: [{ full: 'LIM Dara', script: 'latin', kind: 'primary' }] },
              })
              .expect(201)
          ).body.id,
        (id) => tf['kr.liaison'].post(`/arrests/${id}/shares`, { countryCode: 'MY' }),
      );
      expect(Object.keys(seen)).toEqual(
        expect.arrayContaining(['place', 'province', 'district', 'grounds', 'arresting_agency']),
      );
      expect(seen).toEqual(refusedAll(seen));
    });

    it('refuses linking a person into a shared case whatever column of the person holds it', async () => {
      const kase = (await tf['kr.officer'].post('/cases', { title: 'Mule network' }).expect(201)).body;
      await tf['kr.liaison']
        .post(`/cases/${kase.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' })
        .expect(201);
      const seen = await enumerate(
        'person',
        async () =>
          (
            await tf['kr.officer']
              .post('/persons', { names: [{ full: 'PARK Jun', script: 'latin', kind: 'primary' }] })
              .expect(201)
          ).body.id,
        (id) =>
          tf['kr.officer'].post(`/cases/${kase.id}/persons`, {
            persons: [{ personId: id, role: 'suspect' }],
          }),
      );
      expect(Object.keys(seen)).toEqual(
        expect.arrayContaining(['names', 'notes', 'documents', 'phones', 'accounts']),
      );
      expect(seen).toEqual(refusedAll(seen));
    });

    it('refuses a case share whatever column of the case holds it', async () => {
      const seen = await enumerate(
        'case_file',
        async () => (await tf['kr.officer'].post('/cases', { title: 'Compound raid' }).expect(201)).body.id,
        (id) => tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' }),
      );
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['title', 'summary', 'tags']));
      expect(seen).toEqual(refusedAll(seen));
    });
  });
});

type Segment = string | number;
const defaultMetadataStorage = untyped as typeof Typed;

/** Validators whose values cannot carry a number: a choice, an id, a flag, a date. */
const CLOSED = new Set(['isIn', 'isEnum', 'isUuid', 'isBoolean', 'isDateString', 'isIso8601', 'isISO8601']);

/**
 * Every property of `dto` (and of the DTOs nested in it) that could hold a number, as a path; an
 * array's first element stands for all of them.
 */
function textFields(dto: new () => object, at: Segment[] = []): Segment[][] {
  const metas: ValidationMetadata[] = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const props = [...new Set(metas.map((m) => m.propertyName))];
  return props.flatMap((prop) => {
    const mine = metas.filter((m) => m.propertyName === prop);
    const names = mine.map((m) => m.name ?? '');
    const many = mine.some((m) => m.each || m.name === 'isArray');
    const path = many ? [...at, prop, 0] : [...at, prop];
    if (mine.some((m) => m.type === 'nestedValidation')) {
      const nested = defaultMetadataStorage.findTypeMetadata(dto, prop)?.typeFunction();
      return nested ? textFields(nested as new () => object, path) : [];
    }
    if (names.some((n) => CLOSED.has(n) || n.toLowerCase() === 'isuuid')) return [];
    const max = mine
      .filter((m) => m.name === 'maxLength' || m.name === 'isLength')
      .map((m) => Number(m.name === 'maxLength' ? m.constraints[0] : m.constraints[1]))
      .filter((n) => Number.isFinite(n));
    if (max.some((n) => n < 5)) return [];
    return [path];
  });
}

const pathName = (path: Segment[]) =>
  path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');

/** `base` with the value at `path` set (objects and arrays on the way made when missing). */
function withValue(base: object, path: Segment[], value: string): object {
  const copy = structuredClone(base) as Record<Segment, unknown>;
  let node = copy;
  path.forEach((segment, i) => {
    if (i === path.length - 1) node[segment] = value;
    else {
      node[segment] ??= typeof path[i + 1] === 'number' ? [] : {};
      node = node[segment] as Record<Segment, unknown>;
    }
  });
  return copy;
}
