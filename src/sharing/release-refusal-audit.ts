import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../common/request-context';
import type { Channel } from './provenance.store';
import { WITHHELD_RED } from './withheld-red';

/** How a refused value is named in its audit event. */
export interface ValueKind {
  recordType: string;
  list: string;
  value: string;
}
export const IDENTIFIERS: ValueKind = { recordType: 'identifier', list: 'identifiers', value: 'identifier' };
export const FILES: ValueKind = { recordType: 'attachment', list: 'files', value: 'sha256' };

/**
 * The audit events of the release rule's refusals (`release.refused`), written once the refused
 * request's transaction has ended, so that they outlive its rollback.
 */
@Injectable()
export class ReleaseRefusalAudit {
  constructor(private readonly audit: AuditService) {}

  /** As `auditRefusal`, for values (identifiers, files) rather than persons. */
  async auditRefusedValues(
    ctx: RequestContext,
    kind: ValueKind,
    refused: Array<{ originator: string; value: string; rule: string }>,
    recipient: string,
    via: string,
  ): Promise<void> {
    for (const group of byOriginatorAndRed(refused))
      await this.audit.recordIndependently(ctx, {
        action: 'release.refused',
        outcome: 'denied',
        recordType: kind.recordType,
        ownerCountry: group.originator,
        details: {
          recipientCountry: recipient,
          via,
          [kind.list]: group.items.map((r) =>
            r.rule === 'RED' ? WITHHELD_RED : { [kind.value]: r.value, rule: r.rule },
          ),
        },
      });
  }

  /**
   * One event per originator, owned by it: its auditors see who tried to pass its data on, and the
   * caller's auditors see it as their own country's action.
   */
  async auditRefusal(
    ctx: RequestContext,
    refused: Array<{ personId: string; rule: string; originator: string }>,
    recipient: string,
    channel: Channel,
  ): Promise<void> {
    for (const { originator, items: persons } of byOriginatorAndRed(refused)) {
      await this.audit.recordIndependently(ctx, {
        action: 'release.refused',
        outcome: 'denied',
        recordType: 'person',
        recordId: persons.find((r) => r.rule !== 'RED')?.personId,
        ownerCountry: originator,
        details: {
          recipientCountry: recipient,
          via: channel.type,
          persons: persons.map((r) =>
            r.rule === 'RED' ? WITHHELD_RED : { personId: r.personId, rule: r.rule },
          ),
        },
      });
    }
  }
}

/**
 * Refusals grouped for their audit events: one event per originator, RED values in an event of their
 * own, so an event naming RED values names nothing else (its readers other than the originator are not
 * told the originator: `asReadBy` in the audit trail).
 */
function byOriginatorAndRed<T extends { originator: string; rule: string }>(
  refused: T[],
): Array<{ originator: string; items: T[] }> {
  const groups = new Map<string, { originator: string; items: T[] }>();
  for (const r of refused) {
    const key = `${r.originator}|${r.rule === 'RED'}`;
    if (!groups.has(key)) groups.set(key, { originator: r.originator, items: [] });
    groups.get(key)!.items.push(r);
  }
  return [...groups.values()];
}
