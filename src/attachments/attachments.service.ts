import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { ConflictError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { FileReleaseService } from '../sharing/file-release.service';
import { AttachmentParents } from './attachment-parents.service';
import { fileReadEvent } from './attachment-reads';
import { AttachmentWithdrawnError, StoredContentDamagedError } from './attachment-errors';
import { isGivingCountryAuditor, toAttachmentView } from './attachment-view';
import { parseRange } from './byte-range';
import {
  AttachmentRow,
  attachmentsOf,
  findAttachment,
  findVisibleAttachment,
  holdAttachments,
  markWithdrawn,
  ParentType,
} from './attachments.store';
import { unsentGroupCopies } from './dispatch-attachments';
import type {
  AttachmentVerificationView,
  AttachmentView,
  ListAttachmentsQueryDto,
} from './dto/attachment.dto';
import { AttachmentStorage, ByteRange } from './storage/attachment-storage';

export interface AttachmentContent {
  attachment: AttachmentRow;
  sizeBytes: number;
  range: ByteRange | null;
  stream: Readable;
}

/**
 * Reading, checking and withdrawing attachments. Every read of content, every re-check and every
 * withdrawal is an audit event carrying the hash, owned by the parent's owner country, so the
 * owner's auditors see who took the file, when, and that it was still the same file — a read by a
 * country the owner did not give the file to itself excepted (`fileReadEvent`).
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly parents: AttachmentParents,
    private readonly storage: AttachmentStorage,
    private readonly fileRelease: FileReleaseService,
  ) {}

  async list(
    ctx: RequestContext,
    type: ParentType,
    parentId: string,
    query: ListAttachmentsQueryDto,
    requestId?: string,
  ): Promise<Page<AttachmentView>> {
    await this.parents.findVisible(ctx, type, parentId, requestId);
    const limit = pageLimit(query);
    const rows = await attachmentsOf(
      this.tx.manager,
      actorOf(ctx),
      type,
      parentId,
      limit,
      decodeCursor(query.cursor),
    );
    const actor = actorOf(ctx);
    return toPage(
      rows,
      limit,
      (a) => ({ at: a.uploaded_at.toISOString(), id: a.id }),
      (a) => toAttachmentView(actor, a),
    );
  }

  async get(ctx: RequestContext, id: string): Promise<AttachmentView> {
    return toAttachmentView(actorOf(ctx), await this.findVisible(ctx, id));
  }

  /**
   * Opens the content (or the range asked for) and records the download. A withdrawn file is read by
   * the auditors of the country that gave it only; anyone else's attempt is recorded and refused with 410.
   */
  async openContent(
    ctx: RequestContext,
    id: string,
    rangeHeader: string | undefined,
  ): Promise<AttachmentContent> {
    const { attachment, sizeBytes, range } = await this.tx.run(async () => {
      // The file is held until its download is audited, and read under the hold: a withdrawal waits and
      // comes after the download, or came before and is refused. Read before the hold, it could be
      // withdrawn between the check and the audit: the bytes went out, audited after the withdrawal as
      // not withdrawn (probe race 6). A file the caller may not see is a 404 before any hold: held after,
      // its id waited for a withdrawal of it in flight where an id that never existed answered at once
      // (probe r51).
      await this.findVisible(ctx, id);
      await holdAttachments(this.tx.manager, [id]);
      const held = await this.findVisible(ctx, id);
      await this.refuseWithdrawn(ctx, held);
      const size = Number(held.size_bytes);
      const asked = parseRange(rangeHeader, size);
      if ((await this.storage.sizeOf(held.sha256)) !== size) throw new StoredContentDamagedError();
      await this.audit.record(
        ctx,
        await fileReadEvent(this.tx.manager, ctx, held, {
          ...downloadEvent(ctx, held),
          details: {
            sha256: held.sha256,
            range: asked ? `bytes=${asked.start}-${asked.end}` : null,
            withdrawn: held.withdrawn_at !== null,
          },
        }),
      );
      return { attachment: held, sizeBytes: size, range: asked };
    });
    const stream = await this.storage.read(attachment.sha256, range ?? undefined);
    return { attachment, sizeBytes, range, stream };
  }

  /** A withdrawn file's content, to anyone but the giving country's auditors: 410, the attempt audited. */
  private async refuseWithdrawn(ctx: RequestContext, attachment: AttachmentRow): Promise<void> {
    if (!attachment.withdrawn_at || isGivingCountryAuditor(actorOf(ctx), attachment)) return;
    await this.audit.recordIndependently(
      ctx,
      {
        ...downloadEvent(ctx, attachment),
        outcome: 'denied',
        details: { sha256: attachment.sha256, reason: 'withdrawn' },
      },
      (manager, event) => fileReadEvent(manager, ctx, attachment, event),
    );
    throw new AttachmentWithdrawnError();
  }

  /** Re-hashes the stored bytes: a file changed behind the app's back answers `ok: false`. */
  async verify(ctx: RequestContext, id: string): Promise<AttachmentVerificationView> {
    const actor = actorOf(ctx);
    const attachment = await this.findVisible(ctx, id);
    const actual = await this.hashStored(attachment.sha256);
    const sizeBytes = Number(attachment.size_bytes);
    const ok = actual !== null && actual.sha256 === attachment.sha256 && actual.sizeBytes === sizeBytes;
    const checkedAt = new Date().toISOString();
    await this.tx.run(async () =>
      this.audit.record(
        ctx,
        await fileReadEvent(this.tx.manager, ctx, attachment, {
          action: 'attachment.verify',
          outcome: ok ? 'success' : 'failed',
          recordType: 'attachment',
          recordId: id,
          ownerCountry: attachment.owner_country,
          counterpartCountry: counterpartOf(actor, attachment),
          details: {
            sha256: attachment.sha256,
            ok,
            actualSha256: actual?.sha256 ?? null,
            actualSizeBytes: actual?.sizeBytes ?? null,
          },
        }),
      ),
    );
    return {
      id,
      sha256: attachment.sha256,
      ok,
      actualSha256: actual?.sha256 ?? null,
      sizeBytes,
      actualSizeBytes: actual?.sizeBytes ?? null,
      checkedAt,
    };
  }

  /** The country that gave a file withdraws it (an officer); the content stays for the auditors. */
  withdraw(ctx: RequestContext, id: string, reason: string): Promise<AttachmentView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const attachment = await this.findVisible(ctx, id);
      if (attachment.uploader_country !== actor.countryCode)
        await this.access.forbidden(
          ctx,
          { recordType: 'attachment', recordId: id, ownerCountry: attachment.owner_country },
          'Only the country that gave a file may withdraw it.',
        );
      if (attachment.withdrawn_at) throw new ConflictError('The attachment is already withdrawn.');
      // The reason is text every country reading the file's record reads: the release rule weighs it
      // (and a shared case's file, like an edit of the case, needs a framework). Withdrawing a file of
      // a person is a change by its owner, as an edit or an upload is: a country whose cooperation with
      // the owner ended keeps the person, files and all, as it stands before it (probe r10), and reads
      // neither the withdrawal nor its reason.
      await this.fileRelease.withdrawFile(ctx, parentOf(attachment), reason);
      if (!(await markWithdrawn(this.tx.manager, id, actor.userId, reason)))
        throw new ConflictError('The attachment is already withdrawn.');
      await this.recordWithdrawal(ctx, attachment, reason);
      // Its copies on the other threads of a request to several countries not sent yet go with it.
      for (const copyId of await unsentGroupCopies(this.tx.manager, id)) {
        const copy = (await findAttachment(this.tx.manager, copyId))!;
        await this.fileRelease.withdrawFile(ctx, parentOf(copy), reason);
        if (!(await markWithdrawn(this.tx.manager, copyId, actor.userId, reason))) continue;
        await this.recordWithdrawal(ctx, copy, reason);
      }
      return toAttachmentView(actor, await this.findVisible(ctx, id));
    });
  }

  private async recordWithdrawal(ctx: RequestContext, attachment: AttachmentRow, reason: string) {
    await this.audit.record(ctx, {
      action: 'attachment.withdraw',
      recordType: 'attachment',
      recordId: attachment.id,
      ownerCountry: attachment.owner_country,
      counterpartCountry: counterpartOf(actorOf(ctx), attachment),
      before: { status: 'active' },
      after: { status: 'withdrawn', reason },
      details: { sha256: attachment.sha256 },
    });
  }

  /** Visible exactly when its parent is; otherwise 404 as if it did not exist (the denial audited). */
  async findVisible(ctx: RequestContext, id: string): Promise<AttachmentRow> {
    const found = await findVisibleAttachment(this.tx.manager, actorOf(ctx), id);
    if (found) return found;
    const [row] = (await this.tx.manager.query(`SELECT owner_country FROM attachment WHERE id = $1`, [
      id,
    ])) as Array<{
      owner_country: string;
    }>;
    return this.access.notFound(
      ctx,
      { recordType: 'attachment', recordId: id, ownerCountry: row?.owner_country ?? null },
      'The attachment',
    );
  }

  private async hashStored(sha256: string): Promise<{ sha256: string; sizeBytes: number } | null> {
    if ((await this.storage.sizeOf(sha256)) === null) return null;
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of await this.storage.read(sha256)) {
      hash.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), sizeBytes };
  }
}

const downloadEvent = (ctx: RequestContext, a: AttachmentRow) => ({
  action: 'attachment.download',
  recordType: 'attachment',
  recordId: a.id,
  ownerCountry: a.owner_country,
  counterpartCountry: counterpartOf(actorOf(ctx), a),
});

const parentOf = (a: AttachmentRow) => ({
  type: a.parent_type,
  id: a.parent_id,
  ownerCountry: a.owner_country,
});

/** The other country involved: the reader when it is not the owner, else the one that gave the file. */
function counterpartOf(actor: Actor, a: AttachmentRow): string | null {
  if (actor.countryCode && actor.countryCode !== a.owner_country) return actor.countryCode;
  return a.uploader_country !== a.owner_country ? a.uploader_country : null;
}
