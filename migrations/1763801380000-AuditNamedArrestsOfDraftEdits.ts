import { MigrationInterface, QueryRunner } from 'typeorm';

const arrestsOf = (path: string) =>
  `SELECT 'arrest:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(changes #> '${path}') = 'array' THEN changes #> '${path}' END) id`;

const targetsOf = (path: string) =>
  `SELECT jsonb_array_elements(CASE WHEN jsonb_typeof(changes #> '${path}') = 'array' THEN changes #> '${path}' END)`;

const namedRecords = (draftArrests: string) => `
      CREATE OR REPLACE FUNCTION audit_named_records(details jsonb, changes jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(jsonb_agg(DISTINCT named), '[]'::jsonb) FROM (
          SELECT 'arrest:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(details -> 'arrestIds') = 'array' THEN details -> 'arrestIds' END) id
          UNION ALL
          SELECT 'person:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(details -> 'personIds') = 'array' THEN details -> 'personIds' END) id
          UNION ALL
          SELECT 'asset_freeze_target:' || (target ->> 'id') FROM (
            ${targetsOf('{after,targets}')} UNION ALL ${targetsOf('{before,targets}')}) t(target)
           WHERE jsonb_typeof(target) = 'object' AND target ? 'id'
          ${draftArrests}
        ) s(named)
      $$`;

/**
 * A repatriation draft's edit (`request.draft_edited`) lists its arrests before and after, in `changes`,
 * where the function did not look: the timeline of an arrest taken off the draft, or put on it, did not
 * show the edit. Now both lists name their arrests, as a freeze draft's edit names its targets
 * (1763801370000). The function is the index's expression, so the index is built again with it, its
 * predicate (and the timeline's condition, `AuditTrailService`) now also taking an edit of arrests.
 */
export class AuditNamedArrestsOfDraftEdits1763801380000 implements MigrationInterface {
  name = 'AuditNamedArrestsOfDraftEdits1763801380000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_named_records`);
    await q.query(
      namedRecords(
        `UNION ALL ${arrestsOf('{after,arrestIds}')} UNION ALL ${arrestsOf('{before,arrestIds}')}`,
      ),
    );
    await q.query(`
      CREATE INDEX audit_event_named_records ON audit_event USING gin (audit_named_records(details, changes) jsonb_path_ops)
       WHERE details ? 'arrestIds' OR details ? 'personIds' OR changes #> '{after,targets}' IS NOT NULL
          OR changes #> '{after,arrestIds}' IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_named_records`);
    await q.query(namedRecords(''));
    await q.query(`
      CREATE INDEX audit_event_named_records ON audit_event USING gin (audit_named_records(details, changes) jsonb_path_ops)
       WHERE details ? 'arrestIds' OR details ? 'personIds' OR changes #> '{after,targets}' IS NOT NULL`);
  }
}
