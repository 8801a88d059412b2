import { MigrationInterface, QueryRunner } from 'typeorm';
import { reindexActiveEntriesWhoseNamesMatch } from '../src/blacklist/rebuild-search-keys';

/**
 * A name in Han characters is now also keyed as Cantonese spells it (陈家辉 as CHAN KA FAI:
 * src/screening/matching/cantonese.ts), so that a Hong Kong or Malaysian passport's spelling finds it.
 * The active entries whose names hold a Han character are indexed again; the rest keep their keys.
 */
export class CantoneseReadingKeys1763801230000 implements MigrationInterface {
  name = 'CantoneseReadingKeys1763801230000';

  async up(q: QueryRunner): Promise<void> {
    await reindexActiveEntriesWhoseNamesMatch(q.manager, '[\u4e00-\u9fa5]');
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code finds these entries by their pinyin keys, which are kept.
  }
}
