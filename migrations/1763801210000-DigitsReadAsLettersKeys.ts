import { MigrationInterface, QueryRunner } from 'typeorm';
import { reindexActiveEntriesWhoseNamesMatch } from '../src/blacklist/rebuild-search-keys';

/**
 * A 2 or a 6 in a Latin-letter name is now read as the Z or G that OCR took it for, as 0, 1, 5 and 8
 * already were (src/screening/matching/normalise-name.ts): the keys and profiles of active entries
 * whose names hold either digit are made again. Only those: a name with digits is a slip, so this is a
 * handful of entries where rebuilding every key of a million would take an hour.
 */
export class DigitsReadAsLettersKeys1763801210000 implements MigrationInterface {
  name = 'DigitsReadAsLettersKeys1763801210000';

  async up(q: QueryRunner): Promise<void> {
    await reindexActiveEntriesWhoseNamesMatch(q.manager, '[26]');
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code reads the keys of such a name as it made them, and they were
    // only ever a slip's.
  }
}
