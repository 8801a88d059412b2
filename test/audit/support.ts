import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { AuditVerifierService } from '../../src/audit/audit-verifier.service';
import { AuditService } from '../../src/audit/audit.service';
import type { AuditEventInput } from '../../src/audit/audit-event.input';
import type { RequestContext } from '../../src/common/request-context';
import { TransactionService } from '../../src/database/transaction.service';
import type { TestApp } from '../support/test-app';

/** A fresh Ed25519 key as PEM, for `AUDIT_SIGNING_KEY`. */
export function aSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function aDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'case-desk-audit-'));
}

/** The services an audit spec drives, from the app's own container. */
export function auditServices(t: TestApp) {
  return {
    tx: t.app.get(TransactionService),
    audit: t.app.get(AuditService),
    sealer: t.app.get(AuditSealerService),
    verifier: t.app.get(AuditVerifierService),
  };
}

/** One command per event: its own transaction, as a service method would run it. */
export async function recordEvents(
  t: TestApp,
  ctx: RequestContext,
  count: number,
  event: (i: number) => AuditEventInput,
): Promise<void> {
  const { tx, audit } = auditServices(t);
  await Promise.all(Array.from({ length: count }, (_, i) => tx.run(() => audit.record(ctx, event(i)))));
}

/** A superuser connection beside the app's pool, for what the app itself must not be able to do. */
export async function superuser(t: TestApp): Promise<Client> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  return client;
}

export const AUDIT_TABLES = ['audit_event', 'audit_chain', 'audit_checkpoint'] as const;

/** Runs `fn` with every trigger (append-only guards and foreign keys) of the audit tables off. */
export async function withTriggersDisabled<T>(client: Client, fn: () => Promise<T>): Promise<T> {
  for (const table of AUDIT_TABLES) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
  try {
    return await fn();
  } finally {
    for (const table of AUDIT_TABLES) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER ALL`);
  }
}
