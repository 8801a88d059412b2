import type { EntityManager } from 'typeorm';
import type { NormalisedIdentifier } from '../identifiers/identifier-normalise';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { receiptKeysOf } from '../sharing/identifier-keys';
import { reached, reachedAt } from '../sharing/provenance.store';
import { outsideWeighingBudget } from '../sharing/weighing-budget';

/** A framework in force joining the asker and a partner, and whether the partner answers under it. */
export interface SharedFramework {
  partner: string;
  framework_id: string;
  auto_answer: boolean;
}

export interface CheckRow {
  id: string;
  asked_at: Date;
  asked_by: string;
  identifier_count: number;
  identifiers: NormalisedIdentifier[] | null;
  answers: Array<{
    country: string;
    answered: boolean;
    framework_id: string | null;
    hit_positions: number[];
  }>;
}

/**
 * An origin's own identifiers in a request it has not sent (a draft, or one still awaiting its liaison's
 * approval) are not yet its holding to answer for: nothing has left the country, and a hit would tell a
 * partner what an officer is drafting. They count from `sent` on, as the target's copy does.
 */
const holdingOfRecord = (row: string) =>
  `(${row}.record_type NOT IN ('request', 'asset_freeze_target') OR ${row}.field LIKE 'findings.%'
     OR EXISTS (SELECT 1 FROM cross_border_request sr
      WHERE sr.sent_at IS NOT NULL AND sr.id = CASE ${row}.record_type WHEN 'request' THEN ${row}.record_id
            ELSE (SELECT t.request_id FROM asset_freeze_target t WHERE t.id = ${row}.record_id) END))`;

/**
 * SQL: the name of the `identifier_index` row `row` as text, its primary key's columns (record, holder,
 * field, match key) as a JSON array, by which the checks come back to the row (`rowNamed`).
 */
const nameOfRow = (row: string) =>
  `jsonb_build_array(${row}.record_type, ${row}.record_id, ${row}.holder_country, ${row}.field, ${row}.match_key)::text`;

/** SQL: `row` is the `identifier_index` row named `name` (`nameOfRow`; a jsonb), by its primary key. */
const rowNamed = (row: string, name: string) =>
  `${row}.record_type = ${name}->>0 AND ${row}.record_id = (${name}->>1)::uuid
     AND ${row}.holder_country = (${name}->>2)::char(2) AND ${row}.field = ${name}->>3 AND ${row}.match_key = ${name}->>4`;

/**
 * SQL: the index row `row`'s `provenance_key` is the only key a receipt of its value can be under, so SQL
 * may decide from it alone. True only for wallets (`receiptKeysOf` gives them one key, the SQL's) whose
 * value SQL folds faithfully (a key at all). A phone is received under its national number too, an
 * account or a passport under every form `keyVariants` reads in it (without leading zeros, a run of its
 * digits), a compound or a web address under the numbers written in it: the release rule weighs each,
 * so such a row is keyed in Node like an unfaithful one (probe r48: KH's phone written in its national
 * form, typed by KR in international form or into the place of its arrest, hit for MY).
 */
const keyedInSql = (row: string) => `(${row}.provenance_key IS NOT NULL AND ${row}.kind = 'wallet')`;

/** A partner's holding of an asked identifier (see `IdentifierCheckStore.hits`). */
export interface HoldingHit {
  partner: string;
  position: number;
  independent: boolean;
  /**
   * For a holding that is not independent: per record holding it, every key under which the partner
   * may have received it (never empty). The record may hit only where the release rule lets each of
   * its keys go to the asker.
   */
  receivedAs: string[][];
}

/** The SQL of hit/no-hit checks. */
export class IdentifierCheckStore {
  constructor(private readonly m: EntityManager) {}

  /**
   * For each partner, the frameworks in force on `day` of which it and the asker are both members
   * (`framework_members_on`, the one rule for that), with its automatic-answer setting under each
   * (no setting: on). Partners that share none with the asker have no row.
   */
  sharedFrameworks(asker: string, partners: string[], day: string): Promise<SharedFramework[]> {
    return this.m.query(
      `SELECT p.country_code::text AS partner, p.framework_id::text,
              coalesce(s.auto_answer, true) AS auto_answer
         FROM framework_members_on($3::date) a
         JOIN framework_members_on($3::date) p ON p.framework_id = a.framework_id
         JOIN framework f ON f.id = p.framework_id
         LEFT JOIN identifier_check_setting s ON s.country_code = p.country_code AND s.framework_id = p.framework_id
        WHERE a.country_code = $1 AND p.country_code = ANY($2::text[])
        ORDER BY p.country_code, f.name, f.id`,
      [asker, partners, day],
    );
  }

  /**
   * Which of `keys` (0-based positions) each partner holds in a record of its own (its own requests only
   * once sent; received copies — a request sent to it, findings it was given — never count). A holding
   * is `independent` when the partner recorded the identifier before it received it from anyone (or
   * never received it): that is its own hit to give. Otherwise the hit exists only because of data it
   * received, and `receivedAs` names the identifiers (provenance keys) whose release rule decides it
   * (`IdentifierChecksService` asks `IdentifierReleaseService.releasableIdentifiers`). Answers only positions,
   * never a record.
   *
   * Receipts are kept under the keys of `src/sharing/identifier-keys.ts`. The index's `provenance_key`
   * (SQL `identifier_provenance_key`) is that key for the values it folds faithfully (printable ASCII,
   * nearly every value) and NULL for any other (another script, look-alike letters, digits of another
   * script, most web addresses): such a row never counts as independent in SQL; its raw value is read
   * back from its record and keyed here by the same functions receipts were recorded with. So is every
   * row of a kind received under more keys than that one (all but wallets: `keyedInSql`).
   */
  async hits(keys: string[], partners: string[]): Promise<HoldingHit[]> {
    if (!keys.length || !partners.length) return [];
    const receivedBefore = `EXISTS (SELECT 1 FROM identifier_provenance ip
       WHERE ip.identifier = i.provenance_key AND ip.receiving_country = i.holder_country
         AND ${reached('ip')} AND ${reachedAt('ip')} <= i.indexed_at)`;
    const held = `i.match_key = q.key AND i.holder_country = p.country AND i.standing = 'own'
             AND ${holdingOfRecord('i')}`;
    // One index probe per identifier and partner (LATERAL … LIMIT 1 keeps the planner from turning the
    // probes into a hash join over the whole index); the partner codes as char(2), the column's type,
    // so both columns of `identifier_index_key` are used. Only a holding with no independent row reads
    // the provenance keys of its received-first rows, and the names of its rows with no trusted key.
    const rows: Array<{
      partner: string;
      position: number;
      independent: boolean;
      keys: string[];
      unkeyed: string[];
    }> = await this.m.query(
      `SELECT p.country::text AS partner, (q.n - 1)::int AS position, ind.independent,
              coalesce(der.keys, '{}') AS keys, coalesce(der.unkeyed, '{}') AS unkeyed
         FROM unnest($1::text[]) WITH ORDINALITY AS q(key, n)
        CROSS JOIN unnest($2::char(2)[]) AS p(country)
        CROSS JOIN LATERAL (
          SELECT EXISTS (SELECT 1 FROM identifier_index i
                          WHERE ${held} AND ${keyedInSql('i')} AND NOT ${receivedBefore} LIMIT 1)
                 AS independent) AS ind
         LEFT JOIN LATERAL (
          SELECT array_agg(DISTINCT i.provenance_key) FILTER (WHERE ${keyedInSql('i')}) AS keys,
                 array_agg(${nameOfRow('i')}) FILTER (WHERE NOT ${keyedInSql('i')}) AS unkeyed
            FROM identifier_index i
           WHERE NOT ind.independent AND ${held}
          HAVING count(*) > 0) AS der ON true
        WHERE ind.independent OR der.keys IS NOT NULL OR der.unkeyed IS NOT NULL
        ORDER BY 2, 1`,
      [keys, partners],
    );
    const unkeyed = [...new Set(rows.flatMap((r) => r.unkeyed))];
    const keyed = unkeyed.length ? await this.keysOfRows(unkeyed) : new Map<string, string[]>();
    const received = keyed.size ? await this.receivedBeforeIndexed(keyed) : new Set<string>();
    return rows
      .map((r) => {
        // A row keyed here with no receipt before it was indexed is the partner's own. A row whose value
        // folds to nothing has no key a receipt could be under, so nothing says it is the partner's own:
        // it never hits.
        const independent =
          r.independent || r.unkeyed.some((id) => (keyed.get(id)?.length ?? 0) > 0 && !received.has(id));
        return {
          partner: r.partner,
          position: r.position,
          independent,
          receivedAs: independent
            ? []
            : [
                ...r.keys.map((k) => [k]),
                ...r.unkeyed.map((id) => keyed.get(id) ?? []).filter((ks) => ks.length > 0),
              ],
        };
      })
      .filter((h) => h.independent || h.receivedAs.length > 0);
  }

  /**
   * The receipt keys (`receiptKeysOf`) of index rows, by name (`nameOfRow`), from the raw values their
   * records hold now (`identifier_index_entries`, the function that indexed them; every entry that keys
   * to the row).
   */
  private async keysOfRows(names: string[]): Promise<Map<string, string[]>> {
    const entries: Array<{ id: string; kind: string; value: string }> = await this.m.query(
      `WITH i AS MATERIALIZED (
              SELECT n.name, ix.record_type, ix.record_id, ix.holder_country, ix.field, ix.match_key
                FROM unnest($1::text[]) AS n(name)
                JOIN identifier_index ix ON ${rowNamed('ix', 'n.name::jsonb')}),
            r AS (SELECT DISTINCT record_type, record_id FROM i),
            e AS (SELECT r.record_type, r.record_id, x.*
                    FROM r CROSS JOIN LATERAL unnest(identifier_index_entries(r.record_type, r.record_id)) x)
       SELECT i.name AS id, e.kind, e.value
         FROM i
         JOIN e ON e.record_type = i.record_type AND e.record_id = i.record_id
              AND e.holder_country = i.holder_country AND e.field = i.field
              AND identifier_match_key(e.kind, e.qualifier, e.value) = i.match_key
        WHERE e.value IS NOT NULL`,
      [names],
    );
    const keys = new Map<string, Set<string>>();
    for (const e of entries) {
      const set = keys.get(e.id) ?? new Set<string>();
      for (const k of partnerReceiptKeys(e.kind, e.value)) set.add(k);
      keys.set(e.id, set);
    }
    return new Map([...keys].map(([id, set]) => [id, [...set]]));
  }

  /** Of index rows keyed in Node, those whose holder had received any of their keys when it was indexed. */
  private async receivedBeforeIndexed(keyed: Map<string, string[]>): Promise<Set<string>> {
    const pairs = [...keyed].flatMap(([id, ks]) => ks.map((k) => [id, k] as const));
    if (!pairs.length) return new Set();
    const rows: Array<{ id: string }> = await this.m.query(
      `SELECT DISTINCT x.id
         FROM unnest($1::text[], $2::text[]) AS x(id, key)
         JOIN identifier_index i ON ${rowNamed('i', 'x.id::jsonb')}
        WHERE EXISTS (SELECT 1 FROM identifier_provenance ip
                       WHERE ip.identifier = x.key AND ip.receiving_country = i.holder_country
                         AND ${reached('ip')} AND ${reachedAt('ip')} <= i.indexed_at)`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Set(rows.map((r) => r.id));
  }

  async insert(
    check: { askerCountry: string; askedBy: string; identifiers: NormalisedIdentifier[] },
    answers: Array<{ country: string; frameworkId: string | null; hitPositions: number[] }>,
  ): Promise<{ id: string; asked_at: Date }> {
    const [row]: Array<{ id: string; asked_at: Date }> = await this.m.query(
      `INSERT INTO identifier_check (asker_country, asked_by, identifiers, identifier_count)
       VALUES ($1, $2, $3::jsonb, $4) RETURNING id, asked_at`,
      [check.askerCountry, check.askedBy, JSON.stringify(check.identifiers), check.identifiers.length],
    );
    await this.m.query(
      `INSERT INTO identifier_check_answer (check_id, partner_country, answered, framework_id, hit_positions)
       SELECT $1, x.country, x.framework_id IS NOT NULL, x.framework_id,
              ARRAY(SELECT jsonb_array_elements_text(x.hits)::int)
         FROM jsonb_to_recordset($2::jsonb) AS x(country text, framework_id uuid, hits jsonb)`,
      [
        row!.id,
        JSON.stringify(
          answers.map((a) => ({ country: a.country, framework_id: a.frameworkId, hits: a.hitPositions })),
        ),
      ],
    );
    return row!;
  }

  /** A check of `asker`'s, with or without its identifiers; null for another country's (or none). */
  async find(id: string, asker: string): Promise<CheckRow | null> {
    const [row] = await this.list(asker, { id, withIdentifiers: true, limit: 1 });
    return row ?? null;
  }

  list(
    asker: string,
    options: {
      id?: string;
      withIdentifiers?: boolean;
      limit: number;
      after?: { at: string; id: string } | null;
    },
  ): Promise<CheckRow[]> {
    return this.m.query(
      `SELECT c.id, c.asked_at, c.asked_by, c.identifier_count,
              ${options.withIdentifiers ? 'c.identifiers' : 'NULL::jsonb AS identifiers'},
              coalesce((SELECT jsonb_agg(jsonb_build_object('country', a.partner_country, 'answered', a.answered,
                                  'framework_id', a.framework_id, 'hit_positions', a.hit_positions)
                                  ORDER BY a.partner_country)
                          FROM identifier_check_answer a WHERE a.check_id = c.id), '[]') AS answers
         FROM identifier_check c
        WHERE c.asker_country = $1 AND ($2::uuid IS NULL OR c.id = $2::uuid)
          AND ($3::timestamptz IS NULL OR (c.asked_at, c.id) < ($3::timestamptz, $4::uuid))
        ORDER BY c.asked_at DESC, c.id DESC
        LIMIT $5`,
      [asker, options.id ?? null, options.after?.at ?? null, options.after?.id ?? null, options.limit],
    );
  }

  /** The frameworks in force on `day` that `country` is a member of, with its setting under each. */
  settings(
    country: string,
    day: string,
  ): Promise<Array<{ framework_id: string; name: string; auto_answer: boolean }>> {
    return this.m.query(
      `SELECT f.id::text AS framework_id, f.name, coalesce(s.auto_answer, true) AS auto_answer
         FROM framework_members_on($2::date) m
         JOIN framework f ON f.id = m.framework_id
         LEFT JOIN identifier_check_setting s ON s.country_code = m.country_code AND s.framework_id = f.id
        WHERE m.country_code = $1
        ORDER BY f.name, f.id`,
      [country, day],
    );
  }

  /** The setting before the change (null: never set, so on). */
  async setAutoAnswer(
    country: string,
    frameworkId: string,
    autoAnswer: boolean,
    userId: string,
  ): Promise<boolean | null> {
    const [before]: Array<{ auto_answer: boolean }> = await this.m.query(
      `SELECT auto_answer FROM identifier_check_setting WHERE country_code = $1 AND framework_id = $2 FOR UPDATE`,
      [country, frameworkId],
    );
    await this.m.query(
      `INSERT INTO identifier_check_setting (country_code, framework_id, auto_answer, updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (country_code, framework_id)
       DO UPDATE SET auto_answer = EXCLUDED.auto_answer, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [country, frameworkId, autoAnswer, userId],
    );
    return before?.auto_answer ?? null;
  }
}

/**
 * The receipt keys of a value a partner's record holds, weighed outside the asking request's budget
 * (`numbersIn` charges it for a compound's or a web address's numbers): the partner's records are not
 * the asker's text, and their size must neither spend nor overrun it. A value holding more runs than may
 * be weighed at once keys to nothing, so it never hits (an error here told the asker of a record it may
 * not see).
 */
function partnerReceiptKeys(kind: string, value: string): string[] {
  try {
    return outsideWeighingBudget(() => receiptKeysOf(kind, value));
  } catch (error) {
    if (error instanceof ValidationFailedError) return [];
    throw error;
  }
}
