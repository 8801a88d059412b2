/** What screening tells the rest of the house through `DomainEventBus`, inside the alert's transaction. */

/**
 * An alert was raised on a candidate: a confirmed hit (the banning country should hear of it, and the
 * proposing country while a framework joins the two: `proposerTold`) or a re-screening match (the banning country's lead until its screener confirms it).
 */
export class ScreeningAlertRaised {
  constructor(
    readonly alertId: string,
    readonly kind: 'confirmed_hit' | 'rescreen_match',
    readonly entryId: string,
    readonly checkpoint: string,
    readonly banningCountry: string,
    readonly proposingCountry: string,
    /** A confirmed hit told to the proposing country: a framework joined it to the banning country. */
    readonly proposerTold: boolean,
  ) {}
}
