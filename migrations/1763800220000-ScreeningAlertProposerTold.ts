import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A confirmed hit reaches the proposing country only while a framework joins it to the banning country
 * (a framework's end stops what goes, and keeps what went): `proposer_told_at` records when the
 * proposer was told (null: never), set where alerts are raised (`ScreeningService.raiseAlert`) and read
 * by `screeningAlertScope`. Confirmed hits raised before were told: at their decision.
 */
export class ScreeningAlertProposerTold1763800220000 implements MigrationInterface {
  name = 'ScreeningAlertProposerTold1763800220000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_alert ADD COLUMN proposer_told_at timestamptz(3)`);
    await q.query(
      `UPDATE screening_alert a SET proposer_told_at = coalesce(c.decided_at, a.created_at)
         FROM screening_candidate c WHERE c.id = a.candidate_id AND a.kind = 'confirmed_hit'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_alert DROP COLUMN proposer_told_at`);
  }
}
