import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * The keys of active entries computed again for retrieval of short given names typed with another
 * romanisation and a slip (issue 16, item 4): `x:` keys, the family name's consonants with the given
 * names' shape (consonants in order, each run of vowels one mark), whole or less any one mark; then every key's
 * holders recounted. About a minute per 100,000 active entries, one transaction: deploy in a quiet
 * moment, and VACUUM blacklist_search_key afterwards.
 */
export class GivenNameShapeScreeningKeys1763800600000 implements MigrationInterface {
  name = 'GivenNameShapeScreeningKeys1763800600000';

  async up(q: QueryRunner): Promise<void> {
    await rebuildSearchKeys(q.manager);
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code never reads the `x:` keys, and finds its entries by the
    // others, which did not change.
  }
}
