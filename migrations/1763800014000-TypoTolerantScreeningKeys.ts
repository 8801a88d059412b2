import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * The keys of active entries computed again by the app's code after one rule change: `e:` keys (the
 * family name with the given names whole or less any one letter), so a checkpoint query with one typo
 * in the given names meets its entry through a key held by a few hundred entries, not tens of
 * thousands. About a minute per 100,000 active entries: deploy in a quiet moment.
 */
export class TypoTolerantScreeningKeys1763800014000 implements MigrationInterface {
  name = 'TypoTolerantScreeningKeys1763800014000';

  async up(q: QueryRunner): Promise<void> {
    // Entries had no identity of their own yet (1763800017000): their keys came from the person.
    await rebuildSearchKeys(q.manager, 'person');
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code finds its entries by the keys both rule sets share and scores
    // them the same; the extra keys are never looked up by it.
  }
}
