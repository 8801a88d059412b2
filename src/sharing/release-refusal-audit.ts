import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { asActingCountrysOwn, ownerIsTold, OwnersData } from '../access/owner-trail';
import type { AuditEventInput } from '../audit/audit-event.input';
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
    const dataOf = (r: { value: string }): OwnersData =>
      kind === FILES ? { file: r.value } : { identifier: r.value };
    for (const group of byOriginatorAndRed(refused))
      await this.record(ctx, group, dataOf, (items) => ({
        action: 'release.refused',
        outcome: 'denied',
        recordType: kind.recordType,
        ownerCountry: group.originator,
        details: {
          recipientCountry: recipient,
          via,
          [kind.list]: items.map((r) =>
            r.rule === 'RED' ? WITHHELD_RED : { [kind.value]: r.value, rule: r.rule },
          ),
        },
      }));
  }

  /**
   * One event per originator, owned by it: its auditors see who tried to pass its data on, and the
   * caller's auditors see it as their own country's action. A refused number of a person (`key`) is
   * the number's originator's; the person itself, its owner's.
   */
  async auditRefusal(
    ctx: RequestContext,
    refused: Array<{ personId: string; rule: string; originator: string; key?: string }>,
    recipient: string,
    channel: Channel,
  ): Promise<void> {
    const dataOf = (r: { personId: string; key?: string }): OwnersData =>
      r.key ? { identifier: r.key, person: r.personId } : { person: r.personId };
    for (const group of byOriginatorAndRed(refused))
      await this.record(ctx, group, dataOf, (persons) => ({
        action: 'release.refused',
        outcome: 'denied',
        recordType: 'person',
        recordId: persons.find((r) => r.rule !== 'RED')?.personId,
        ownerCountry: group.originator,
        details: {
          recipientCountry: recipient,
          via: channel.type,
          persons: persons.map((r) =>
            r.rule === 'RED' ? WITHHELD_RED : { personId: r.personId, rule: r.rule },
          ),
        },
      }));
  }

  /**
   * A group's refusal, written in its own transaction. What the originator gave the caller's country
   * itself is in the originator's trail; what the caller's country holds only because a third country
   * passed it on is the caller's country's alone, naming the originator to its auditors (but not a RED
   * originator, which they are not told): in the originator's trail it would tell the originator where
   * its partner sent its data (probe r36, src/access/owner-trail.ts).
   */
  private record<T extends { originator: string; rule: string }>(
    ctx: RequestContext,
    group: { originator: string; items: T[]; red: boolean },
    dataOf: (item: T) => OwnersData,
    event: (items: T[]) => AuditEventInput,
  ): Promise<void> {
    const actor = ctx.actor?.kind === 'user' ? ctx.actor.countryCode : null;
    return this.audit.recordIndependently(ctx, event(group.items), async (manager: EntityManager) => {
      const told: T[] = [];
      const untold: T[] = [];
      for (const item of group.items)
        ((await ownerIsTold(manager, group.originator, actor, dataOf(item))) ? told : untold).push(item);
      return [
        ...(told.length ? [event(told)] : []),
        ...(untold.length
          ? [asActingCountrysOwn(event(untold), actor, group.red ? undefined : 'originatorCountry')]
          : []),
      ];
    });
  }
}

/**
 * Refusals grouped for their audit events: one event per originator, RED values in an event of their
 * own, so an event naming RED values names nothing else (its readers other than the originator are not
 * told the originator: `asReadBy` in the audit trail).
 */
function byOriginatorAndRed<T extends { originator: string; rule: string }>(
  refused: T[],
): Array<{ originator: string; items: T[]; red: boolean }> {
  const groups = new Map<string, { originator: string; items: T[]; red: boolean }>();
  for (const r of refused) {
    const key = `${r.originator}|${r.rule === 'RED'}`;
    if (!groups.has(key)) groups.set(key, { originator: r.originator, items: [], red: r.rule === 'RED' });
    groups.get(key)!.items.push(r);
  }
  return [...groups.values()];
}
