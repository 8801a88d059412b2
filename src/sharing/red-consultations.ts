import type { EntityManager } from 'typeorm';
import { ProvenanceStore } from './provenance.store';
import { WITHHELD_RED } from './withheld-red';

/**
 * What a consultation event may name of the persons a reader was shown (probe r38). The event is the
 * reader's country's, read by its auditors; a person the country holds only through a RED request it
 * was the target of is read there by that request's named recipients alone (its liaisons, the assigned
 * officer), not by its auditors, who are told of it neither by id nor by who gave it — as a refused
 * release of a RED value is written (`WITHHELD_RED`). Each such id is replaced by that mark.
 */
export class RedConsultations {
  constructor(private readonly m: EntityManager) {}

  /** Of `personIds`, those `country`'s auditors may not be told of (held for RED recipients only). */
  async withheld(personIds: string[], country: string | null): Promise<Set<string>> {
    if (!personIds.length || !country) return new Set();
    const rows = await new ProvenanceStore(this.m).heldForRedRecipientsOnly([...new Set(personIds)], country);
    return new Set(rows.map((r) => r.id));
  }

  /** `personIds` as the event names them: each withheld one as `WITHHELD_RED`. */
  async named(personIds: string[], country: string | null): Promise<Array<string | typeof WITHHELD_RED>> {
    const withheld = await this.withheld(personIds, country);
    return personIds.map((id) => (withheld.has(id) ? WITHHELD_RED : id));
  }
}
