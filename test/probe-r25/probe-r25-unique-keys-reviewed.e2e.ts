import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: every unique key of the schema, and what a clash on it could tell. A key that does not
 * name the owning country (or the user, or the origin–target pair) lets one country's write collide with
 * another country's row, and the 409 (or its absence) says that row exists. Each key below was read and
 * its writes tried (the other case files of this folder); FINDINGS.md has the verdicts. A unique index or
 * exclusion constraint added later fails this case until it is weighed the same way and listed here.
 */
const REVIEWED: Record<string, string> = {
  // Keys of the owning country, user or pair: a clash is with the caller's own rows.
  agency_country_code_name_key: 'per country; agencies are created by the platform administrator only',
  agency_id_country_code_key: 'target of composite foreign keys; id is random',
  app_user_username_key: 'global, but a username must carry its country prefix (checked before the look-up)',
  asset_freeze_target_open_key: 'per origin country',
  case_share_active: 'per case, written by the owner only',
  idempotency_key_pkey: 'per user',
  identifier_check_setting_pkey: 'per country',
  notification_read_pkey: 'per user, after the visibility check',
  person_kept_copy_pkey: 'per country, written by the server',
  person_kept_identifier_pkey: 'per country, written by the server',
  person_return_pkey: 'per country, written by the server',
  repatriation_arrest_one_open_per_side: 'per arrest and side; a clash names only readable requests',
  repatriation_arrest_one_sent:
    'per arrest; only the two sides of an arrest can request, the sent one is read by both',
  reference_counter_pkey: "per owner country; the case reference is read by the owner's users only",
  request_reference_counter_pkey: 'per origin, target, kind and year',
  case_file_reference_key: 'server-numbered per owner country',
  case_share_reference: 'server-numbered per owner–recipient pair',
  cross_border_request_reference_key: 'server-numbered per pair; RED random, drawn again on a clash',
  arrest_share_pkey: 'per arrest, written by the arresting country only',
  attachment_supersedes_key: "per superseded file, which only its uploader's country may supersede",
  // Platform reference data: created by the platform administrator only.
  country_pkey: 'platform reference data',
  framework_name_key: 'platform reference data',
  framework_member_pkey: 'platform reference data',
  // Keys of rows the server writes (no value of a caller's choosing collides with another country's).
  asset_freeze_target_request_id_position_key: 'positions within one request',
  audit_chain_event_id_key: 'server-written',
  audit_chain_pkey: 'server-written',
  audit_checkpoint_pkey: 'server-written',
  blacklist_entry_proposal: 'positions within one proposal',
  blacklist_screening_profile_pkey: 'server-written',
  blacklist_search_key_pkey: 'per banning country, server-written',
  blacklist_search_key_count_pkey: 'per banning country, server-written',
  caller_write_position_pkey: 'per user, server-written',
  case_person_pkey: 'per case, written by the owner only',
  file_own_number_pkey: 'per holder country, server-written',
  file_own_numbers_read_pkey: 'per holder country, server-written',
  file_provenance_sha256_receiving_country_originator_country_key: 'server-written, ON CONFLICT DO NOTHING',
  file_received_number_pkey: 'per holder country, server-written',
  identifier_check_answer_pkey: 'server-written',
  identifier_correlation_case_id_record_type_record_id_match__key: 'server-written',
  identifier_index_row: 'server-written',
  login_throttle_pkey: 'sign-in throttle buckets (probe r17)',
  mfa_enrolment_pass_pkey: 'one pass per account, upserted: never a clash',
  refresh_token_token_hash_key: 'random token hashes',
  repatriation_person_pkey: 'per request',
  request_person_pkey: 'per request, ON CONFLICT DO NOTHING',
  sign_in_address_pkey: 'per account, server-written at sign-in (probe r28)',
  screening_alert_candidate_id_key: 'per screening candidate, server-written',
  screening_candidate_screening_id_entry_id_key: 'per screening, server-written',
  webhook_delivery_subscription_id_notification_id_key: 'server-written',
};

describe('Probe r25: every unique key was weighed for what a clash tells another country', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  it('lists every unique index and exclusion constraint, bar random ids, as reviewed', async () => {
    // Primary keys on a lone `id` column are random UUIDs (or server sequences) no caller chooses.
    const rows: Array<{ name: string }> = await t.dataSource.query(
      `SELECT i.relname AS name
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE x.indisunique AND n.nspname = 'public' AND c.relname <> 'schema_migrations'
          AND NOT (x.indisprimary AND pg_get_indexdef(x.indexrelid) LIKE '%(id)')
       UNION
       SELECT conname FROM pg_constraint WHERE contype = 'x'`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(REVIEWED).sort());
  });
});
