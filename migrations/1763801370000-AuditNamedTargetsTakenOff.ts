import { MigrationInterface, QueryRunner } from 'typeorm';

const namedRecords = (targets: string) => `
      CREATE OR REPLACE FUNCTION audit_named_records(details jsonb, changes jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(jsonb_agg(DISTINCT named), '[]'::jsonb) FROM (
          SELECT 'arrest:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(details -> 'arrestIds') = 'array' THEN details -> 'arrestIds' END) id
          UNION ALL
          SELECT 'person:' || id FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(details -> 'personIds') = 'array' THEN details -> 'personIds' END) id
          UNION ALL
          SELECT 'asset_freeze_target:' || (target ->> 'id') FROM (${targets}) t(target)
           WHERE jsonb_typeof(target) = 'object' AND target ? 'id'
        ) s(named)
      $$`;

const targetsOf = (path: string) =>
  `SELECT jsonb_array_elements(CASE WHEN jsonb_typeof(changes #> '${path}') = 'array' THEN changes #> '${path}' END)`;

/**
 * A freeze draft's edit (`request.draft_edited`) lists its targets before and after. A target the edit
 * took off is in the before-list only, and a target's timeline read the after-list alone: the timeline of
 * a target taken off ended at its creation, as if it were still on the draft. Now both lists name their
 * targets. The function is the index's expression, so the index is built again with it.
 */
export class AuditNamedTargetsTakenOff1763801370000 implements MigrationInterface {
  name = 'AuditNamedTargetsTakenOff1763801370000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_named_records`);
    await q.query(namedRecords(`${targetsOf('{after,targets}')} UNION ALL ${targetsOf('{before,targets}')}`));
    await this.index(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_named_records`);
    await q.query(namedRecords(targetsOf('{after,targets}')));
    await this.index(q);
  }

  private async index(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX audit_event_named_records ON audit_event USING gin (audit_named_records(details, changes) jsonb_path_ops)
       WHERE details ? 'arrestIds' OR details ? 'personIds' OR changes #> '{after,targets}' IS NOT NULL`);
  }
}
