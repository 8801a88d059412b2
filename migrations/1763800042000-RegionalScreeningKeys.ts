import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * The keys of active entries computed again for retrieval that holds at a million entries of the
 * region's names (issue 16): pair and typo keys in a form other romanisations share, the consonants
 * of both parts (`k:`), each pinyin reading of a dialect surname, and the year of birth with the name
 * (`y:`). About a minute per 100,000 active entries, one transaction: deploy in a quiet moment, and
 * VACUUM blacklist_search_key afterwards.
 */
export class RegionalScreeningKeys1763800042000 implements MigrationInterface {
  name = 'RegionalScreeningKeys1763800042000';

  async up(q: QueryRunner): Promise<void> {
    await rebuildSearchKeys(q.manager);
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code still finds its entries by the word, variant, phonetic,
    // skeleton and joined keys, which did not change, and never reads the kinds it does not make.
  }
}
