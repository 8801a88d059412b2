import { MigrationInterface, QueryRunner } from 'typeorm';
import { reindexActiveEntriesWhoseNamesMatch } from '../src/blacklist/rebuild-search-keys';

/**
 * Chinese surnames as Taiwan's passports write them (Wade–Giles: Hsieh, Kuo, Chiang, Tseng…) and a
 * few more pinyin surnames with their dialect spellings are now known
 * (src/screening/matching/chinese-surnames.ts): a name holding one of those words may be read in
 * another order and keyed under the surname's other spellings. The active entries whose names hold one
 * are indexed again; the rest keep their keys.
 */
const WORDS_NOW_KNOWN =
  'chou|hsieh|kuo|chao|tseng|kao|chiang|jiang|hsiao|xiao|tsao|cao|teng|deng|fung|feng|chuang|zhuang|shih|shi|hung|hong|ang';

export class WadeGilesSurnameKeys1763801220000 implements MigrationInterface {
  name = 'WadeGilesSurnameKeys1763801220000';

  async up(q: QueryRunner): Promise<void> {
    await reindexActiveEntriesWhoseNamesMatch(q.manager, `(?i)\\m(${WORDS_NOW_KNOWN})\\M`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code finds these entries by the keys it made, which are kept.
  }
}
