import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * Screening at a million entries: how many active entries hold each search key, so the candidate
 * query can tell a rare key from one held by tens of thousands ("v:kim") without reading its holders;
 * and the keys of active entries computed again by the app's code after two rule changes — pair keys
 * (`f:` family name + given names' first letter, `g:` given names + family name's first letter) and
 * Hangul final consonants written k/t/p (곽 "gwak", not "gwag"). About a minute per 100,000 entries.
 */
export class RebuildScreeningKeys1763800012000 implements MigrationInterface {
  name = 'RebuildScreeningKeys1763800012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blacklist_search_key_count (
        banning_country char(2) NOT NULL,
        key text NOT NULL,
        -- Active entries of the country holding the key; kept in step by BlacklistIndexService.
        entries integer NOT NULL CHECK (entries >= 0),
        PRIMARY KEY (banning_country, key)
      )`);
    // Entries had no identity of their own yet (1763800017000): their keys came from the person.
    await rebuildSearchKeys(q.manager, 'person');
  }

  async down(q: QueryRunner): Promise<void> {
    // The keys stay as the current rules made them: the earlier code finds its entries by the keys
    // both rule sets share and scores them the same.
    await q.query(`DROP TABLE IF EXISTS blacklist_search_key_count`);
  }
}
