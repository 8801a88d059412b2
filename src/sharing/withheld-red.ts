import { WITHHELD_RED } from '../access/red-consultations';

/**
 * A refused RED value or person as its refusal event names it: not at all. The event is read by the
 * auditors of the caller's country, most of whom are not the RED request's named recipients (and the
 * audit trail shows an event naming only these to other countries without its owner). One mark with the
 * consultation events' (`access/red-consultations.ts`).
 */
export { WITHHELD_RED };

/** Whether a listed value of a `release.refused` event is a withheld RED one. */
export const isWithheldRed = (item: unknown): boolean =>
  typeof item === 'object' &&
  item !== null &&
  (item as { rule?: unknown }).rule === WITHHELD_RED.rule &&
  (item as { withheld?: unknown }).withheld === WITHHELD_RED.withheld;
