import { Injectable } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { AuditEventIds } from '../audit/audit-event-ids';
import { AuditService } from '../audit/audit.service';
import type { CaseFile } from '../cases/case-file.entity';
import { CasesService } from '../cases/cases.service';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { StoredContentDamagedError } from './attachment-errors';
import { savedFilename } from './attachment-filename';
import { fileReadEvent } from './attachment-reads';
import { attachmentStatus, isGivingCountryAuditor } from './attachment-view';
import { AttachmentRow, attachmentsOfCaseBundle, custodyEvents, holdAttachments } from './attachments.store';
import { AttachmentStorage } from './storage/attachment-storage';

export interface CaseBundle {
  filename: string;
  stream: Readable;
}

/** Types already compressed: stored as they are rather than deflated again for nothing. */
const STORE_ONLY = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'application/zip']);

/**
 * `GET /cases/:id/bundle`: one ZIP a prosecutor can check offline. It holds the case's visible
 * attachments under `files/`, `manifest.json` (per file: hash, size, type, uploader's country, time,
 * parent record, status), `custody-timeline.json` (the case's and its files' audit events the caller's
 * country may read, reduced to time, action, outcome, country and hash) and `SHA256SUMS`
 * (`sha256sum -c SHA256SUMS` in the unpacked folder). Streamed: files are read one after the other as
 * the ZIP is written. Each file in it is an `attachment.download` event, and the export itself a
 * `case.bundle.export` event listing the hashes.
 */
@Injectable()
export class CaseBundleService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly storage: AttachmentStorage,
    private readonly eventIds: AuditEventIds,
  ) {}

  async open(ctx: RequestContext, caseId: string): Promise<CaseBundle> {
    const actor = actorOf(ctx);
    const kase = await this.cases.findVisible(ctx, caseId);
    const { reference, rows, included, timeline } = await this.tx.run(() => this.collect(ctx, kase));

    // Numbered, so no two entries unpack onto one file (names alike but for case or normalisation);
    // each named as a download is saved (`savedFilename`: its type's extension, 255 bytes at most).
    const paths = new Map(
      included.map((a, i) => [
        a.id,
        `files/${savedFilename(`${String(i + 1).padStart(3, '0')}-${a.filename}`, a.media_type)}`,
      ]),
    );
    const manifest = {
      format: 'case-desk-bundle/1',
      case: { id: kase.id, reference, ownerCountry: kase.ownerCountry },
      generatedAt: new Date().toISOString(),
      generatedFor: { country: actor.countryCode, username: actor.username },
      hashAlgorithm: 'sha256',
      files: rows.map((a) => ({
        path: paths.get(a.id) ?? null,
        attachmentId: a.id,
        filename: a.filename,
        sha256: a.sha256,
        sizeBytes: Number(a.size_bytes),
        mediaType: a.media_type,
        uploadedBy: { country: a.uploader_country },
        uploadedAt: a.uploaded_at.toISOString(),
        parent: { type: a.parent_type, id: a.parent_id },
        status: attachmentStatus(a),
        supersedes: a.supersedes,
      })),
    };
    const custody = timeline.map((e) => ({
      at: e.occurred_at.toISOString(),
      action: e.action,
      outcome: e.outcome,
      country: e.actor_country,
      recordType: e.record_type,
      recordId: e.record_id,
      sha256: e.sha256,
      auditEventId: this.eventIds.nameOf(e.id),
    }));

    const zip = new ZipFile();
    for (const a of included)
      zip.addReadStreamLazy(
        paths.get(a.id)!,
        { size: Number(a.size_bytes), compress: !STORE_ONLY.has(a.media_type), mtime: a.uploaded_at },
        (callback) => {
          this.storage.read(a.sha256).then(
            (stream) => callback(null, stream),
            (error: Error) => callback(error, undefined as unknown as Readable),
          );
        },
      );
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
    zip.addBuffer(Buffer.from(`${JSON.stringify(custody, null, 2)}\n`), 'custody-timeline.json');
    zip.addBuffer(
      Buffer.from(included.map((a) => `${a.sha256}  ${paths.get(a.id)}\n`).join('')),
      'SHA256SUMS',
    );
    zip.end();
    // yazl reports a failed read on the ZipFile, not on its output stream: carry it over, so the
    // response is cut short (the client sees a broken download, never a complete-looking bad ZIP).
    const out = new PassThrough();
    zip.on('error', (error: Error) => out.destroy(error));
    zip.outputStream.pipe(out);
    return { filename: `${reference}-bundle.zip`, stream: out };
  }

  /**
   * What the bundle holds, read and audited in one transaction. Another country's share of the case is
   * held from before the first read to the audit (`holdReference`): a revoke waits for the export, or
   * the export finds the share gone (404). So is each file (`heldFiles`): a withdrawal waits for its
   * download, or the bundle finds the file withdrawn and leaves its bytes out. Else the export was
   * audited after the revoke or the withdrawal it raced (probe race 6).
   */
  private async collect(ctx: RequestContext, kase: CaseFile) {
    const actor = actorOf(ctx);
    // Named as the reader's country knows the case (a partner: by its share's reference).
    const reference = await this.cases.holdReference(ctx, kase);
    const rows = await this.heldFiles(actor, kase);
    // Withdrawn files stay in the manifest (the custody story) but their bytes only for the auditors of
    // the country that gave them.
    const included = rows.filter((a) => !a.withdrawn_at || isGivingCountryAuditor(actor, a));
    for (const a of included)
      if ((await this.storage.sizeOf(a.sha256)) !== Number(a.size_bytes))
        throw new StoredContentDamagedError();
    for (const a of included)
      await this.audit.record(
        ctx,
        await fileReadEvent(this.tx.manager, ctx, a, {
          action: 'attachment.download',
          recordType: 'attachment',
          recordId: a.id,
          ownerCountry: a.owner_country,
          counterpartCountry: actor.countryCode !== a.owner_country ? actor.countryCode : null,
          details: { sha256: a.sha256, range: null, bundle: kase.id, withdrawn: a.withdrawn_at !== null },
        }),
      );
    await this.audit.record(ctx, {
      action: 'case.bundle.export',
      recordType: 'case',
      recordId: kase.id,
      ownerCountry: kase.ownerCountry,
      counterpartCountry: actor.countryCode !== kase.ownerCountry ? actor.countryCode : null,
      details: { files: included.map((a) => ({ attachmentId: a.id, sha256: a.sha256 })) },
    });
    const timeline = await custodyEvents(
      this.tx.manager,
      actor,
      kase.id,
      rows.map((a) => a.id),
    );
    return { reference, rows, included, timeline };
  }

  /**
   * The case's files for the bundle, held (`holdAttachments`) and read again as they now stay until the
   * commit. A file filed while the bundle is made is left to the next bundle.
   */
  private async heldFiles(actor: Actor, kase: CaseFile): Promise<AttachmentRow[]> {
    const read = () =>
      attachmentsOfCaseBundle(this.tx.manager, actor, kase.id, kase.ownerCountry === actor.countryCode);
    const first = await read();
    if (!first.length) return first;
    await holdAttachments(
      this.tx.manager,
      first.map((a) => a.id),
    );
    const held = new Set(first.map((a) => a.id));
    return (await read()).filter((a) => held.has(a.id));
  }
}
