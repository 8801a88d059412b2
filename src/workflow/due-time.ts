import type { Priority } from './cross-border-request.entity';

/** How long the target has from `sent`, by priority (DOMAIN defaults). */
export const DUE_HOURS: Record<Priority, number> = { immediate: 4, urgent: 48, routine: 14 * 24 };

/** A framework's own answer times override the kind's, which override the defaults. */
export function dueAt(
  sentAt: Date,
  priority: Priority,
  /** The kind's own answer times (`RequestKindDefinition.dueHours`). */
  kindHours?: Partial<Record<Priority, number>>,
  framework?: Partial<Record<Priority, number>>,
): Date {
  const hours = framework?.[priority] ?? kindHours?.[priority] ?? DUE_HOURS[priority];
  return new Date(sentAt.getTime() + hours * 3600_000);
}

/** Statuses in which the target still owes an answer. */
export const OPEN_FOR_TARGET = ['sent', 'accepted'] as const;

export function isOverdue(request: { status: string; dueAt: Date | null }, now: Date): boolean {
  return (
    request.dueAt !== null &&
    (OPEN_FOR_TARGET as readonly string[]).includes(request.status) &&
    request.dueAt < now
  );
}
