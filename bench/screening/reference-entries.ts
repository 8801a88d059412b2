import { isDeepStrictEqual } from 'node:util';
import type { Client } from 'pg';
import { frameworkId } from '../support/fixtures';
import type { Api } from '../support/harness';
import { EXPIRES_ON, GROUNDS, GROUNDS_SUMMARY, LEGAL_BASIS, personFields } from './bulk-load';
import type { SyntheticEntry } from './synthetic-blacklist';

function expectStatus(res: { status: number; body: any }, status: number, what: string) {
  if (res.status !== status)
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
  return res.body;
}

/**
 * A few entries proposed by KR and activated by KH through the API, as users would: the proposal the
 * bulk rows join, and the yardstick they are checked against.
 */
export async function proposeThroughApi(
  tf: { krOfficer: Api; krLiaison: Api; khLiaison: Api },
  entries: SyntheticEntry[],
): Promise<{ proposalId: string; entryIds: string[] }> {
  const proposal = expectStatus(
    await tf.krOfficer.call('POST', '/blacklist-entries/batch', {
      frameworkId: await frameworkId(tf.krOfficer),
      banningCountry: 'KH',
      subject: 'Bench: screening at scale',
      entries: entries.map((entry) => ({
        person: personFields(entry),
        grounds: GROUNDS,
        groundsSummary: GROUNDS_SUMMARY,
      })),
    }),
    201,
    'propose',
  );
  let version = proposal.version;
  for (const [who, action] of [
    [tf.krOfficer, 'submit'],
    [tf.krLiaison, 'approve'],
    [tf.khLiaison, 'accept'],
  ] as const) {
    version = expectStatus(
      await who.call('POST', `/blacklist-proposals/${proposal.id}/${action}`, { version }),
      200,
      action,
    ).version;
  }
  const ids: string[] = [];
  for (const entry of proposal.entries as Array<{ id: string; version: number }>) {
    expectStatus(
      await tf.khLiaison.call('POST', `/blacklist-entries/${entry.id}/activate`, {
        version: entry.version,
        legalBasis: LEGAL_BASIS,
        expiresOn: EXPIRES_ON,
      }),
      200,
      'activate',
    );
    ids.push(entry.id);
  }
  return { proposalId: proposal.id, entryIds: ids };
}

const PERSON_COLUMNS = `p.names, p.search_text, p.birth_date, p.nationalities, p.sex, p.documents, p.document_numbers,
  p.phones, p.notes, p.owner_country, p.created_by`;
const ENTRY_COLUMNS = `e.proposal_id, e.proposing_country, e.banning_country, e.grounds, e.grounds_summary, e.status,
  e.legal_basis, e.expires_on::text, e.decided_by, e.version, e.identity_names, e.identity_birth_date,
  e.identity_nationalities, e.identity_sex, e.identity_documents, e.identity_taken_at IS NOT NULL AS identity_taken`;

/**
 * Differences between the rows the API wrote for `apiEntryId` and the bulk loader's rows for
 * `bulkEntryId`, which were built from the same person: none means the loader writes what the app does.
 */
export async function rowDifferences(db: Client, apiEntryId: string, bulkEntryId: string): Promise<string[]> {
  const read = async (id: string) => {
    const { rows } = await db.query(
      `SELECT ${PERSON_COLUMNS}, ${ENTRY_COLUMNS},
              ARRAY(SELECT k.banning_country || ' ' || k.key FROM blacklist_search_key k WHERE k.entry_id = e.id ORDER BY 1) AS keys,
              (SELECT to_jsonb(s) - 'entry_id' FROM blacklist_screening_profile s WHERE s.entry_id = e.id) AS screening_profile
         FROM blacklist_entry e JOIN person p ON p.id = e.person_id WHERE e.id = $1`,
      [id],
    );
    return rows[0] as Record<string, unknown>;
  };
  const [api, bulk] = await Promise.all([read(apiEntryId), read(bulkEntryId)]);
  return Object.keys(api).filter((column) => !isDeepStrictEqual(api[column], bulk[column]));
}
