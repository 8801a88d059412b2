import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildSearchKeys } from '../src/blacklist/rebuild-search-keys';

/**
 * The keys of active entries computed again from their identity snapshots after the name rules of
 * issue 16 changed normalisation: digits in Latin names read as letters (CH0I), McCune–Reischauer
 * ŏ/ŭ read as eo/eu, Thai "Sae Tang" joined to "Saetang", "orn" folded to "on", and new romanisation
 * variants (Muhd, Sim/Seum). About a minute per 100,000 active entries: deploy in a quiet moment.
 */
export class RebuildScreeningKeys1763800023000 implements MigrationInterface {
  name = 'RebuildScreeningKeys1763800023000';

  async up(q: QueryRunner): Promise<void> {
    await rebuildSearchKeys(q.manager);
  }

  async down(): Promise<void> {
    // Nothing to undo: the earlier code finds its entries by the keys both rule sets share (most of
    // them) and scores them by its own rules; keys it never makes are never looked up by it.
  }
}
