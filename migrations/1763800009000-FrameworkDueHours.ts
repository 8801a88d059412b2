import { MigrationInterface, QueryRunner } from 'typeorm';

/** A framework may set its own answer times per priority, overriding the defaults. */
export class FrameworkDueHours1763800009000 implements MigrationInterface {
  name = 'FrameworkDueHours1763800009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE framework ADD COLUMN due_hours jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(due_hours) = 'object' AND NOT (due_hours - 'immediate' - 'urgent' - 'routine') <> '{}'::jsonb)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE framework DROP COLUMN due_hours`);
  }
}
