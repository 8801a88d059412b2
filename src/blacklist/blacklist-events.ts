/** What the blacklist tells the rest of the house through `DomainEventBus`, inside the change's transaction. */

/**
 * An amendment of an active entry's identity was proposed (the person's owner changed the person): the
 * banning country's liaisons decide on it, and until they accept it its checkpoints screen the identity
 * they banned. Only what the entry's amendment view shows the banning country: which fields differ, not
 * what they now hold.
 */
export class BlacklistAmendmentProposed {
  constructor(
    readonly amendmentId: string,
    readonly entryId: string,
    readonly proposingCountry: string,
    readonly banningCountry: string,
    readonly changedFields: readonly string[],
    readonly proposedAt: Date,
  ) {}
}
