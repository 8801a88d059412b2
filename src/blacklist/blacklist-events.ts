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

/** What the banning country decided on an entry, as the proposing country is told it. */
export type EntryDecision = 'activated' | 'rejected' | 'lifted' | 'extended';

/** The entry as both of its countries read it, named by its proposal (sent: it has its reference). */
export interface DecidedEntry {
  entryId: string;
  proposalId: string;
  proposalReference: string;
  proposingCountry: string;
  banningCountry: string;
}

/**
 * The banning country decided on one entry (activated, rejected, lifted, extended): the proposing
 * country, which asked for the ban, hears of it. Only what its entry view shows it: the decision, the
 * expiry (and, for an extension, the one it replaced) and when; the legal basis and reasons stay in
 * the view.
 */
export class BlacklistEntryDecided {
  constructor(
    readonly entry: DecidedEntry,
    readonly decision: EntryDecision,
    readonly expiresOn: string | null,
    /** An extension's previous expiry; null for the other decisions. */
    readonly extendedFrom: string | null,
    readonly decidedAt: Date,
  ) {}
}

/**
 * A batch activation (`POST /blacklist-entries/activate`) activated these entries of one proposal on one
 * legal basis and expiry: the proposing country hears of them at once, one notice per proposal, not one
 * per entry (a batch holds up to 500).
 */
export class BlacklistEntriesActivated {
  constructor(
    readonly proposalId: string,
    readonly proposalReference: string,
    readonly proposingCountry: string,
    readonly banningCountry: string,
    readonly entryIds: readonly string[],
    readonly expiresOn: string,
    readonly decidedAt: Date,
  ) {}
}

/**
 * An active ban lapses within the notice period (`BLACKLIST_EXPIRY_NOTICE_DAYS`): the banning country,
 * which may extend it, and the proposing country, which may ask it to, are told once per expiry date.
 */
export class BlacklistEntryExpiring {
  constructor(
    readonly entry: DecidedEntry,
    readonly expiresOn: string,
  ) {}
}
