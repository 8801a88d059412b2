import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * The keys of active entries computed again for retrieval of a typo in the family name (issue 16,
 * item 4): `h:` keys, the given names with the family name whole or less any one letter; and no more
 * `k:` keys with an empty part (a one-consonant part less its consonant, held by tens of thousands and
 * never read). About a minute per 100,000 active entries, one transaction: deploy in a quiet moment,
 * and VACUUM blacklist_search_key afterwards.
 */
export class FamilyTypoScreeningKeys1763800100000 implements MigrationInterface {
  name = 'FamilyTypoScreeningKeys1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await rebuildSearchKeys(q.manager);
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code never reads the `h:` keys, and finds its entries by the
    // others, which did not change (the empty-part `k:` keys it made were never read: too common).
  }
}
