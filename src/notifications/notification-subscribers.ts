import { Injectable, OnModuleInit } from '@nestjs/common';
import { ArrestCorrected } from '../arrests/arrest-events';
import {
  BlacklistAmendmentProposed,
  BlacklistEntriesActivated,
  BlacklistEntryDecided,
  BlacklistEntryExpiring,
  DecidedEntry,
} from '../blacklist/blacklist-events';
import { DomainEventBus } from '../common/events/domain-event-bus';
import { ScreeningAlertRaised } from '../screening/screening-events';
import { AccountCreated, PasswordResetRequested, RoleChangeRequested } from '../users/user-events';
import { RequestHandedOff, RequestMessagePosted, RequestStepTaken } from '../workflow/request-events';
import { NotificationsService } from './notifications.service';

/**
 * Who hears of what, in one place: notifications subscribe to what the request engine, the blacklist,
 * screening and the accounts module publish, instead of each of them calling notifications. The bus
 * runs these inside the publisher's transaction, so a notification commits or rolls back with the step
 * that caused it.
 */
@Injectable()
export class NotificationSubscribers implements OnModuleInit {
  constructor(
    private readonly events: DomainEventBus,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(RequestStepTaken, async ({ request, notice }) => {
      if (notice) await this.notifications.aboutRequest(request, notice.event, notice.side);
    });
    this.events.subscribe(RequestHandedOff, ({ request, handOff }) =>
      this.notifications.aboutHandOff(request, handOff),
    );
    this.events.subscribe(RequestMessagePosted, ({ request, to, messageId }) =>
      this.notifications.aboutRequest(request, 'request.message', to, { messageId }),
    );
    this.events.subscribe(BlacklistAmendmentProposed, (amendment) => this.aboutAmendment(amendment));
    this.events.subscribe(BlacklistEntryDecided, (decided) => this.aboutDecision(decided));
    this.events.subscribe(BlacklistEntriesActivated, (activated) => this.aboutBatchActivation(activated));
    this.events.subscribe(BlacklistEntryExpiring, (expiring) => this.aboutExpiring(expiring));
    this.events.subscribe(ArrestCorrected, (correction) => this.aboutCorrection(correction));
    this.events.subscribe(ScreeningAlertRaised, (alert) => this.aboutAlert(alert));
    this.events.subscribe(RoleChangeRequested, (change) => this.aboutRoleChange(change));
    this.events.subscribe(PasswordResetRequested, (reset) => this.aboutPasswordReset(reset));
    this.events.subscribe(AccountCreated, (created) => this.aboutAccountCreated(created));
  }

  /**
   * A changed identity of a banned person waits for the banning country: to its liaisons, who accept or
   * reject it (`blacklist.decide`), about the entry (they read it and its amendments). The payload is a
   * part of what the entry's amendment view shows them (`BlacklistEntryAmendmentView`): the fields
   * changed, not the names or document numbers they now hold, and no reference (that view has none).
   * The proposing country, whose edit it was, is not told anything new.
   */
  private aboutAmendment(amendment: BlacklistAmendmentProposed): Promise<void> {
    return this.notifications.publish({
      eventType: 'blacklist.amendment_proposed',
      countryCode: amendment.banningCountry,
      roles: ['liaison'],
      recordType: 'blacklist_entry',
      recordId: amendment.entryId,
      reference: null,
      payload: {
        amendmentId: amendment.amendmentId,
        entryId: amendment.entryId,
        proposingCountry: amendment.proposingCountry,
        banningCountry: amendment.banningCountry,
        changedFields: [...amendment.changedFields],
        proposedAt: amendment.proposedAt.toISOString(),
      },
    });
  }

  /**
   * The banning country decided on an entry the proposing country asked for: its liaisons and officers
   * are told, as the origin of a request is told of its target's answer (`request.accepted` and the
   * like). About the entry, which both read, named by its proposal's reference; the payload holds fields
   * of the proposing country's entry view, with the same values: the decision's dates (an extension's
   * new and previous expiry), never its legal basis or reason, which the view shows. The banning country,
   * whose decision it was, is told nothing.
   */
  private aboutDecision({ entry, decision, expiresOn, extendedFrom, decidedAt }: BlacklistEntryDecided) {
    return this.notifications.publish({
      eventType: 'blacklist.entry_decided',
      countryCode: entry.proposingCountry,
      roles: ['liaison', 'officer'],
      recordType: 'blacklist_entry',
      recordId: entry.entryId,
      reference: entry.proposalReference,
      payload: {
        ...entryNamed(entry),
        decision,
        expiresOn,
        ...(decision === 'extended'
          ? { extendedFrom, extendedAt: decidedAt.toISOString() }
          : { decidedAt: decidedAt.toISOString() }),
      },
    });
  }

  /**
   * A batch activation, as a single one is told, but one notice per proposal naming its entries (about
   * the proposal, which the proposing country reads as its origin): a list of 300 activated at once is
   * one line in the inbox, not 300.
   */
  private aboutBatchActivation(activated: BlacklistEntriesActivated): Promise<void> {
    return this.notifications.publish({
      eventType: 'blacklist.entries_activated',
      countryCode: activated.proposingCountry,
      roles: ['liaison', 'officer'],
      recordType: 'request',
      recordId: activated.proposalId,
      reference: activated.proposalReference,
      payload: {
        proposalId: activated.proposalId,
        proposalReference: activated.proposalReference,
        proposingCountry: activated.proposingCountry,
        banningCountry: activated.banningCountry,
        decision: 'activated',
        entryIds: [...activated.entryIds],
        expiresOn: activated.expiresOn,
        decidedAt: activated.decidedAt.toISOString(),
      },
    });
  }

  /**
   * A ban lapses soon: to the banning country's liaisons (who may extend it, `blacklist.decide`) and the
   * proposing country's (who may ask them to). Both read the entry; the payload is what both read of
   * it alike: which entry, whose, and its expiry.
   */
  private async aboutExpiring({ entry, expiresOn }: BlacklistEntryExpiring): Promise<void> {
    for (const country of [entry.banningCountry, entry.proposingCountry])
      await this.notifications.publish({
        eventType: 'blacklist.entry_expiring',
        countryCode: country,
        roles: ['liaison'],
        recordType: 'blacklist_entry',
        recordId: entry.entryId,
        reference: entry.proposalReference,
        payload: { ...entryNamed(entry), expiresOn },
      });
  }

  /**
   * A corrected arrest: to the officers and liaisons of each country that reads it, about the arrest
   * (the inbox shows it only to those who may read the arrest, `readableBy`: a RED repatriation's
   * arrest to its recipients only). The fields changed, not what they held or hold: the arrest shows
   * its values to whoever reads it. Arrests have no reference.
   */
  private async aboutCorrection(correction: ArrestCorrected): Promise<void> {
    for (const country of correction.readers)
      await this.notifications.publish({
        eventType: 'arrest.corrected',
        countryCode: country,
        roles: ['officer', 'liaison'],
        recordType: 'arrest',
        recordId: correction.arrestId,
        reference: null,
        payload: {
          arrestId: correction.arrestId,
          arrestingCountry: correction.arrestingCountry,
          changedFields: [...correction.changedFields],
          correctedAt: correction.correctedAt.toISOString(),
        },
      });
  }

  /**
   * A confirmed hit goes to the banning and, while a framework joins the two (`proposerTold`), the
   * proposing country's liaisons. A re-screening match is the banning country's lead, at its own
   * checkpoint, until its screener confirms it: only then is the proposing country told (and the alert
   * becomes theirs too).
   */
  private async aboutAlert(alert: ScreeningAlertRaised): Promise<void> {
    const countries =
      alert.kind === 'confirmed_hit' && alert.proposerTold
        ? [alert.banningCountry, alert.proposingCountry]
        : [alert.banningCountry];
    for (const country of new Set(countries)) {
      await this.notifications.publish({
        eventType: alert.kind === 'confirmed_hit' ? 'screening.hit_confirmed' : 'screening.rescreen_match',
        countryCode: country,
        roles: ['liaison'],
        recordType: 'screening_alert',
        recordId: alert.alertId,
        reference: null,
        payload: {
          kind: alert.kind,
          entryId: alert.entryId,
          checkpoint: alert.checkpoint,
          banningCountry: alert.banningCountry,
        },
      });
    }
  }

  /** To the country's auditors and admins: a second admin must approve the change. */
  private aboutRoleChange(change: RoleChangeRequested): Promise<void> {
    return this.toSecondAdmin('user.role_change_requested', change.user, {
      changeId: change.changeId,
      username: change.user.username,
      fromRoles: change.fromRoles,
      toRoles: change.toRoles,
      requestedBy: change.requestedBy,
    });
  }

  /** Likewise: the account stays closed until a second admin confirms. The password is never in it. */
  private aboutPasswordReset(reset: PasswordResetRequested): Promise<void> {
    return this.toSecondAdmin('user.password_reset_requested', reset.user, {
      username: reset.user.username,
      requestedBy: reset.requestedBy,
    });
  }

  /** Likewise: the new account signs in only once a second admin enables it. */
  private aboutAccountCreated(created: AccountCreated): Promise<void> {
    return this.toSecondAdmin('user.created_awaiting_enable', created.user, {
      username: created.user.username,
      roles: created.roles,
      createdBy: created.createdBy,
    });
  }

  /** An account change waiting for a second admin: to the account's country's auditors and admins. */
  private toSecondAdmin(
    eventType:
      'user.role_change_requested' | 'user.password_reset_requested' | 'user.created_awaiting_enable',
    user: { id: string; countryCode: string },
    payload: Record<string, unknown>,
  ): Promise<void> {
    return this.notifications.publish({
      eventType,
      countryCode: user.countryCode,
      roles: ['auditor', 'admin'],
      recordType: 'user',
      recordId: user.id,
      reference: null,
      payload,
    });
  }
}

/** An entry as a notice names it: fields both of its countries read on the entry's view. */
function entryNamed(entry: DecidedEntry): Record<string, unknown> {
  return {
    entryId: entry.entryId,
    proposalId: entry.proposalId,
    proposalReference: entry.proposalReference,
    proposingCountry: entry.proposingCountry,
    banningCountry: entry.banningCountry,
  };
}
