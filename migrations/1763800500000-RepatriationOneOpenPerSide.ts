import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open repatriation request per arrest and side until one is sent, and one sent per arrest (partner
 * probe): `repatriation_arrest_one_open` (1763800029000) held one open request per arrest across both
 * countries, so the other side's create for the same arrest answered 409 while the first was a draft it
 * could not read (or a RED request it was no recipient of) — it told of that request.
 *
 * A draft is its country's own business: each country (`origin_country`, the one that drafted) may hold
 * one open request per arrest, whatever the other side has drafted. What the two countries act on is
 * the request that was sent: one per arrest (`sent`, set at `approve`). The second side's `approve`
 * then conflicts with a request its liaison reads (an inbound request, RED included), and nothing else
 * answers differently because of a request the caller may not read.
 */
export class RepatriationOneOpenPerSide1763800500000 implements MigrationInterface {
  name = 'RepatriationOneOpenPerSide1763800500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE repatriation_person ADD COLUMN origin_country char(2)`);
    await q.query(`ALTER TABLE repatriation_person ADD COLUMN sent boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE repatriation_person rp SET origin_country = r.origin_country, sent = r.sent_at IS NOT NULL
         FROM cross_border_request r WHERE r.id = rp.request_id`,
    );
    await q.query(`ALTER TABLE repatriation_person ALTER COLUMN origin_country SET NOT NULL`);
    await q.query(`DROP INDEX repatriation_arrest_one_open`);
    await q.query(
      `CREATE UNIQUE INDEX repatriation_arrest_one_open_per_side ON repatriation_person (arrest_id, origin_country) WHERE open`,
    );
    await q.query(
      `CREATE UNIQUE INDEX repatriation_arrest_one_sent ON repatriation_person (arrest_id) WHERE open AND sent`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX repatriation_arrest_one_sent`);
    await q.query(`DROP INDEX repatriation_arrest_one_open_per_side`);
    // Fails while both sides hold an open request for one arrest: withdraw one first.
    await q.query(
      `CREATE UNIQUE INDEX repatriation_arrest_one_open ON repatriation_person (arrest_id) WHERE open`,
    );
    await q.query(`ALTER TABLE repatriation_person DROP COLUMN sent`);
    await q.query(`ALTER TABLE repatriation_person DROP COLUMN origin_country`);
  }
}
