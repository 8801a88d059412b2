import type { Client } from 'pg';
import { entryKeys } from '../../src/screening/entry-keys';
import type { PersonFieldsDto } from '../../src/persons/dto/person.dto';
import { derivedFields, INSERT_PERSONS_FROM_JSON } from '../../src/persons/persons.service';
import type { SyntheticEntry } from './synthetic-blacklist';

export const GROUNDS = 'Member of the Golden Fortune compound network (synthetic bench entry).';
export const GROUNDS_SUMMARY = 'Compound member';
export const LEGAL_BASIS = 'Immigration Law art. 29';
export const EXPIRES_ON = '2031-12-31';

/** What the app is sent for an entry's person: the bulk rows are derived from exactly this. */
export function personFields(entry: SyntheticEntry): PersonFieldsDto {
  const candidate = entry.candidate;
  return {
    names: candidate.names,
    ...(candidate.dateOfBirth ? { birthDate: candidate.dateOfBirth } : {}),
    nationalities: candidate.nationalities,
    sex: candidate.sex ?? undefined,
    documents: candidate.documents!.map((d) => ({
      type: d.type as 'passport',
      number: d.number,
      issuingCountry: d.issuingCountry!,
    })),
  } as PersonFieldsDto;
}

export interface BulkTarget {
  proposalId: string;
  proposingCountry: string;
  banningCountry: string;
  proposerId: string;
  deciderId: string;
}

/**
 * Inserts one batch of active entries with their persons and search keys, as the app would leave them
 * after proposal and activation: person columns from the persons service's `derivedFields`, keys from
 * `entryKeys` (the code `BlacklistIndexService.activate` runs). Three statements, one transaction;
 * the keys' counts of holders are made once at the end (RECOUNT_SEARCH_KEYS_SQL, as a rebuild does).
 */
export async function insertBatch(
  client: Client,
  target: BulkTarget,
  entries: Array<{ entry: SyntheticEntry; position: number }>,
): Promise<number> {
  const persons = entries.map(({ entry }) => ({ id: entry.personId, ...derivedFields(personFields(entry)) }));
  const keyEntryIds: string[] = [];
  const keys: string[] = [];
  entries.forEach(({ entry }, i) => {
    for (const key of entryKeys(persons[i]!)) {
      keyEntryIds.push(entry.entryId);
      keys.push(key);
    }
  });
  await client.query('BEGIN');
  try {
    // The very statement PersonsService.createManyOwned runs.
    await client.query(INSERT_PERSONS_FROM_JSON, [
      target.proposingCountry,
      target.proposerId,
      JSON.stringify(persons),
    ]);
    // An activated entry: decided by the banning liaison, version 2 (proposed, then activated), with the
    // identity copied from its person as activation copies it.
    await client.query(
      `INSERT INTO blacklist_entry (id, proposal_id, position, person_id, proposing_country, banning_country,
         grounds, grounds_summary, status, legal_basis, expires_on, decided_by, decided_at, version,
         identity_names, identity_birth_date, identity_nationalities, identity_sex, identity_documents,
         identity_taken_at)
       SELECT x.id, $1, x.position, x.person_id, $2, $3, $4, $5, 'active', $6, $7, $8, now(), 2,
              p.names, p.birth_date, p.nationalities, p.sex, p.documents, now()
         FROM unnest($9::uuid[], $10::int[], $11::uuid[]) AS x(id, position, person_id)
         JOIN person p ON p.id = x.person_id`,
      [
        target.proposalId,
        target.proposingCountry,
        target.banningCountry,
        GROUNDS,
        GROUNDS_SUMMARY,
        LEGAL_BASIS,
        EXPIRES_ON,
        target.deciderId,
        entries.map(({ entry }) => entry.entryId),
        entries.map(({ position }) => position),
        entries.map(({ entry }) => entry.personId),
      ],
    );
    await client.query(
      `INSERT INTO blacklist_search_key (entry_id, banning_country, key)
       SELECT x.entry_id, $1, x.key FROM unnest($2::uuid[], $3::text[]) AS x(entry_id, key)`,
      [target.banningCountry, keyEntryIds, keys],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return keys.length;
}

/**
 * Indexes are built once after the load instead of updated row by row (minutes instead of an hour at
 * a million entries); the definitions are read from the catalogue and put back unchanged.
 */
export async function withoutIndexes<T>(
  client: Client,
  tables: string[],
  load: () => Promise<T>,
): Promise<T> {
  const { rows } = await client.query<{
    table: string;
    name: string;
    definition: string;
    constraint: string | null;
  }>(
    `SELECT i.tablename AS table, i.indexname AS name, i.indexdef AS definition, c.conname AS constraint
       FROM pg_indexes i LEFT JOIN pg_constraint c ON c.conname = i.indexname AND c.contype IN ('p', 'u')
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)`,
    [tables],
  );
  const constraints = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid::regclass::text = ANY($1)`,
    [tables],
  );
  // Foreign keys pointing at a dropped primary key would block the drop; they are kept, and with them
  // the primary keys they need (blacklist_entry, person). Only indexes nothing depends on go.
  const dependedOn = await client.query<{ name: string }>(
    `SELECT DISTINCT ci.relname AS name FROM pg_constraint f JOIN pg_class ci ON ci.oid = f.conindid WHERE f.contype = 'f'`,
  );
  const keep = new Set(dependedOn.rows.map((r) => r.name));
  const dropped = rows.filter((r) => !keep.has(r.name));
  for (const r of dropped) {
    if (r.constraint) await client.query(`ALTER TABLE ${r.table} DROP CONSTRAINT ${r.name}`);
    else await client.query(`DROP INDEX ${r.name}`);
  }
  const result = await load();
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const r of dropped) {
    const constraint = constraints.rows.find((c) => c.name === r.name);
    if (constraint)
      await client.query(`ALTER TABLE ${r.table} ADD CONSTRAINT ${r.name} ${constraint.definition}`);
    else await client.query(r.definition);
  }
  return result;
}
