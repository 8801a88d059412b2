import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a person-level consent covers (probe r13, finding 4). A `release_grant` for a person recorded
 * when it was given (`granted_at`) but not what the person carried then, and the release rule let it
 * count for every number the person carries from its owner, so a passport number the owner added after
 * its liaison consented went on to the named country under AMBER with no consent for it. `covers`
 * holds the identifier keys (`src/sharing/identifier-keys.ts`, as `identifier_provenance` keys them) of
 * the numbers the person carried when the grant was given — as the holder held it and as the
 * consenting country read it, both —, and a person-level grant counts only for those
 * (`ProvenanceStore.holdings`, `granted_keys`); a number added later needs consent of its own (a new
 * release request for the person, or for the number). Identifier-level grants name their number
 * already: NULL there. Should the fold of a key change, a stale key here only refuses more.
 *
 * Grants given before this migration: what their person carried when each was given is not recorded
 * anywhere (`person` keeps no history of its numbers, and a receipt in `identifier_provenance` is of a
 * value, not of the person: a number received before the grant by another record — the same case's
 * text, another request — may have been written into the person only afterwards). So each covers no
 * number (`'{}'`): the person itself may still go on to the named country under the consent, but a
 * number on it received under a code that needs consent is refused (409, `askRelease`) until the
 * holder asks again and the originator consents to the person as it stands now. Refusing what was
 * consented to costs a new request; letting through what was not cannot be taken back.
 */
export class ReleaseGrantCovers1763801050000 implements MigrationInterface {
  name = 'ReleaseGrantCovers1763801050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE release_grant ADD COLUMN covers text[]`);
    await q.query(`UPDATE release_grant SET covers = '{}' WHERE person_id IS NOT NULL`);
    await q.query(
      `ALTER TABLE release_grant ADD CONSTRAINT release_grant_covers_person
         CHECK ((covers IS NULL) = (person_id IS NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE release_grant DROP COLUMN covers`);
  }
}
