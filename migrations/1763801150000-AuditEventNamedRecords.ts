import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One audit event may name several records: a raid's `arrest.create` and its `person.create` list every
 * arrest and person they made (`details.arrestIds`, `details.personIds`, no `record_id`), and a freeze
 * request's `asset_freeze.targets.add` (on the request) lists its targets (`after.targets[].id`). A
 * record's timeline read only `record_id`, so an arrest made in a raid showed no creation at all. This
 * names them as `type:id` strings, computed from the event's own hashed fields (so the chain covers what
 * a timeline finds), with an index for the timeline's look-up.
 */
export class AuditEventNamedRecords1763801150000 implements MigrationInterface {
  name = 'AuditEventNamedRecords1763801150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_named_records(details jsonb, changes jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(jsonb_agg(named), '[]'::jsonb) FROM (
          SELECT 'arrest:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(details -> 'arrestIds') = 'array' THEN details -> 'arrestIds' END) id
          UNION ALL
          SELECT 'person:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(details -> 'personIds') = 'array' THEN details -> 'personIds' END) id
          UNION ALL
          SELECT 'asset_freeze_target:' || (target ->> 'id') FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(changes #> '{after,targets}') = 'array' THEN changes #> '{after,targets}' END) target
           WHERE jsonb_typeof(target) = 'object' AND target ? 'id'
        ) s(named)
      $$`);
    await q.query(`
      CREATE INDEX audit_event_named_records ON audit_event USING gin (audit_named_records(details, changes) jsonb_path_ops)
       WHERE details ? 'arrestIds' OR details ? 'personIds' OR changes #> '{after,targets}' IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_named_records`);
    await q.query(`DROP FUNCTION audit_named_records(jsonb, jsonb)`);
  }
}
