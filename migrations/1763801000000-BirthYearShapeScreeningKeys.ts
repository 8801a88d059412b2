import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * The keys of active entries computed again for retrieval of a name romanised another way in both
 * parts when the query carries the year of birth (issue 16, item 4): `b:` keys, the family name's
 * consonants with the given names' first letter and the year (about 0.8 more keys per entry at a
 * million, one per name of an entry with a date of birth); then every key's holders recounted. About a
 * minute per 100,000 active entries, one transaction: deploy in a quiet moment, and VACUUM
 * blacklist_search_key afterwards.
 */
export class BirthYearShapeScreeningKeys1763801000000 implements MigrationInterface {
  name = 'BirthYearShapeScreeningKeys1763801000000';

  async up(q: QueryRunner): Promise<void> {
    await rebuildSearchKeys(q.manager);
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code never reads the `b:` keys, and finds its entries by the
    // others, which did not change.
  }
}
