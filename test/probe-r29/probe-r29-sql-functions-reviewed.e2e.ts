import { createTestApp, TestApp } from '../support/test-app';
import { migrationTables } from './sql-reads';

/**
 * Probe r29, second half: the SQL functions of the migrations (triggers, and functions the statements
 * of src/ call) that read tables of country-owned data. Read as the database holds them after every
 * migration (`pg_proc.prosrc`), so bodies the migrations generate in TypeScript are read as they run.
 * What they read reaches a user only through a statement of src/ (the other case file of this folder)
 * or through the rows they write, which those statements read under the scopes; the reason says which.
 * Fails on a new function that reads such a table, on a function that reads another set of tables
 * than reviewed, and on a reviewed function that is gone.
 */
const REVIEWED: Record<string, { tables: string[]; why: string }> = {
  attachment_version_same_parent_type: {
    tables: ['attachment'],
    why: 'CHECK trigger; the upload checked X-Supersedes visible and on the same record first',
  },
  blacklist_entry_kept: {
    tables: ['cross_border_request'],
    why: 'trigger: lets a delete through only for an entry of an unsent draft proposal; answers nothing',
  },
  identifier_case_carriers: {
    tables: [
      'arrest',
      'asset_freeze_target',
      'case_file',
      'case_person',
      'cross_border_request',
      'identifier_index',
      'person_kept_copy',
      'request_person',
    ],
    why: "the country's own open cases carrying a key; readsBothSides filters the carriers by identifierRowReadable",
  },
  identifier_correlate_case_persons: {
    tables: ['identifier_index'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlate_request_persons: {
    tables: ['cross_border_request', 'identifier_index'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlation_named_on_person_return: {
    tables: ['cross_border_request', 'identifier_index', 'request_person'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlation_on_arrest_share: {
    tables: ['arrest', 'identifier_index'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlation_on_case_person: {
    tables: ['case_share'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlation_on_case_share: {
    tables: ['case_person'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlation_on_index: {
    tables: ['asset_freeze_target', 'cross_border_request'],
    why: 'trigger: received non-RED identifiers only; announced only after readsBothSides',
  },
  identifier_correlation_on_person_return: {
    tables: ['asset_freeze_target', 'cross_border_request', 'identifier_index'],
    why: 'trigger: writes identifier_correlation, announced only after readsBothSides',
  },
  identifier_correlation_on_request_sent: {
    tables: ['request_person'],
    why: 'trigger at sending: the origin-added persons of the request',
  },
  identifier_index_entries: {
    tables: ['arrest', 'asset_freeze_target', 'cross_border_request', 'person'],
    why: "index rows of one record, per holder (a target's from sent on); read under identifierRowReadable or as a partner's own holding",
  },
  identifier_index_on_change: {
    tables: ['asset_freeze_target'],
    why: 'trigger: keeps identifier_index in step with its records',
  },
  identifier_index_sync: {
    tables: ['identifier_index'],
    why: 'trigger: keeps identifier_index in step with its records',
  },
  screening_candidate_names_an_entry: {
    tables: ['blacklist_entry'],
    why: 'CHECK trigger on server-written screening candidates',
  },
};

/** Tables that hold no country's records (as in probe-r29-sql-reads-reviewed). */
const REFERENCE = new Set(['country', 'agency', 'framework', 'framework_member', 'framework_resumption']);

describe('Probe r29: every SQL function of the migrations that reads country-owned tables was reviewed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  it('lists each such function with the tables it reads', async () => {
    const rows: Array<{ name: string; src: string }> = await t.dataSource.query(
      `SELECT p.proname AS name, p.prosrc AS src FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    );
    const tables = new Set(migrationTables().filter((x) => !REFERENCE.has(x)));
    const found: Record<string, string[]> = {};
    for (const { name, src } of rows) {
      const read = [...src.matchAll(/\b(?:FROM|JOIN|USING)\s+([a-z_]+)\b/gi)]
        .map((m) => m[1]!.toLowerCase())
        .filter((x) => tables.has(x));
      if (read.length) found[name] = [...new Set(read)].sort();
    }
    // A function with no body found here would make the check pass vacuously.
    expect(rows.length).toBeGreaterThan(20);
    expect(found).toEqual(
      Object.fromEntries(Object.entries(REVIEWED).map(([name, r]) => [name, [...r.tables].sort()])),
    );
  });
});
