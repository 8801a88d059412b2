export type AuditOutcome = 'success' | 'denied' | 'failed';

/** What a service says happened; who, when and from where come from the request context. */
export interface AuditEventInput {
  /** `<record type>.<verb>`, e.g. `case.create`, `request.approve`, `auth.login.failed`. */
  action: string;
  outcome?: AuditOutcome;
  recordType?: string;
  recordId?: string;
  /** The country that owns the record. */
  ownerCountry?: string | null;
  /** For cross-border records: the other country (the target of a request, the country shared with). */
  counterpartCountry?: string | null;
  /** Changed fields only; secrets never included. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  details?: Record<string, unknown>;
}
