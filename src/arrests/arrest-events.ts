/** What arrests tell the rest of the house through `DomainEventBus`, inside the change's transaction. */

/**
 * The arresting country corrected an arrest (`PATCH /arrests/:id`). The countries that read it read the
 * corrected record from now on; they are told which fields changed, never what they held or now hold
 * (the arrest itself shows the new values to whoever may read it).
 */
export class ArrestCorrected {
  constructor(
    readonly arrestId: string,
    readonly arrestingCountry: string,
    readonly changedFields: readonly string[],
    readonly correctedAt: Date,
    /**
     * The other countries that read the corrected arrest now, each as the country reads it
     * (`arrestReadByCountry`): those it is shared with and the sides of its repatriation requests, while
     * a framework joins each to the arresting country and the arrest still reaches it.
     */
    readonly readers: readonly string[],
  ) {}
}
