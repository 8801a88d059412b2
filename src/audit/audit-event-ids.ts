import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { AuditSigningKey } from './audit-signing-key';

/** Digits of the largest bigint: every cursor seals an id written this wide. */
const ID_WIDTH = 19;

/**
 * How an audit event is named outside the database. Its row id counts every country's events in one
 * sequence, so showing it (or a cursor that is only it, in base64) let an auditor — or an officer, in a
 * case bundle's custody timeline — count the other countries' activity by the gaps. Outside, an event
 * is named by a keyed hash of its id (stable, unguessable), and a page cursor is the id encrypted.
 * Both keys come from the audit signing key (an Ed25519 signature is deterministic), so every process
 * of one installation names events alike and nothing new needs configuring.
 */
@Injectable()
export class AuditEventIds {
  private keys?: { name: Buffer; cursor: Buffer };

  constructor(private readonly signingKey: AuditSigningKey) {}

  private get derived(): { name: Buffer; cursor: Buffer } {
    this.keys ??= {
      name: this.derive('audit event names'),
      cursor: this.derive('audit event cursors'),
    };
    return this.keys;
  }

  private derive(label: string): Buffer {
    return createHash('sha256')
      .update(this.signingKey.sign(Buffer.from(`case-desk ${label}`, 'utf8')))
      .digest();
  }

  /** The name an event is shown by: `evt_` and 128 bits of a keyed hash of its row id. */
  nameOf(id: string): string {
    return `evt_${createHmac('sha256', this.derived.name).update(id).digest().subarray(0, 16).toString('base64url')}`;
  }

  /**
   * A page cursor after the event with this row id. The id is sealed at one width (19 digits, a bigint's
   * most): GCM's output is as long as its input, so a cursor sealing the bare digits grew by a character
   * as the shared sequence passed each power of ten, a count of other countries' events (probe r17).
   */
  cursorAfter(id: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derived.cursor, iv);
    const sealed = Buffer.concat([cipher.update(id.padStart(ID_WIDTH, '0'), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The row id a cursor stands for; a cursor this installation did not make is a 400. */
  positionOf(cursor: string | undefined): string | null {
    if (cursor === undefined) return null;
    const raw = Buffer.from(cursor, 'base64url');
    try {
      if (raw.length < 29 || raw.length > 64) throw new Error('size');
      const decipher = createDecipheriv('aes-256-gcm', this.derived.cursor, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const id = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      if (!/^\d{1,19}$/.test(id)) throw new Error('not an id');
      // Cursors made before the fixed width hold the bare digits: both read as the same id.
      return id.replace(/^0+(?=\d)/, '');
    } catch {
      throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not valid' }]);
    }
  }
}
