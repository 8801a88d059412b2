import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { ConflictError, DomainError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { AppConfig } from '../config/app-config.service';
import { isUniqueViolation } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';
import { AttachmentParents, ParentRecord } from './attachment-parents.service';
import {
  AttachmentTooLargeError,
  AttachmentUnreadableError,
  UnsupportedMediaTypeError,
  UploadInterruptedError,
} from './attachment-errors';
import { readFilename } from './attachment-filename';
import { FileReadingSlots } from './file-reading-slots';
import { UnreadableContentError } from './readable-text';
import { toAttachmentView } from './attachment-view';
import {
  contentIsNamed,
  findAttachment,
  findVisibleAttachment,
  insertAttachment,
  lockContent,
  ParentType,
} from './attachments.store';
import { groupCopyOn, unsentDispatchSiblings } from './dispatch-attachments';
import type { AttachmentView } from './dto/attachment.dto';
import { AttachmentStorage, TemporaryObject } from './storage/attachment-storage';
import { InspectedUpload, UploadInspector } from './upload-inspector';
import { failWhenClientStalls } from './upload-idle';
import { openStoredZip } from './zip-reader';
import { checkZipStructure } from './zip-structure';
import { FileReleaseService, type FileNumbers } from '../sharing/file-release.service';
import { ReadTooLongError, TooManyNumbersError } from '../sharing/file-numbers';
import { UUID } from '../common/http/validators';

export interface UploadInput {
  /** The request stream; anything else (a JSON body) is refused with 415 once the parent is known. */
  body: unknown;
  filename: string | string[] | undefined;
  supersedes: string | string[] | undefined;
  contentLength: string | undefined;
  /** The client's connection: when it closes while the file waits for its reading turn, it stops waiting. */
  socket?: Socket;
}

/** What one attachment row records of an upload. */
interface RecordedFile extends InspectedUpload {
  id: string;
  filename: string;
  /** Numbers another country gave the uploader's that the file's contents hold (`readableLines`). */
  contentNumbers: FileNumbers;
  supersedes: string | null;
  dispatchGroup: string | null;
}

/** How long a refused upload's remaining body is read (and dropped) behind our answer. */
const DRAIN_MS = 10_000;

/**
 * `POST …/:id/attachments`. The order is what keeps memory flat and a failure clean:
 * 1. checks that need no bytes (parent visible and open to the caller, filename, declared size);
 * 2. streams the body through the inspector (hash, size limit, type) into a temporary object, with
 *    no transaction open;
 * 3. moves the bytes under their hash (stored once however often they are uploaded);
 * 4. one short transaction re-checks the parent and inserts the row with its audit event.
 * Any failure discards the temporary object, and bytes committed in step 3 for a row that never
 * came are removed unless another attachment names them.
 */
@Injectable()
export class AttachmentUploadService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly parents: AttachmentParents,
    private readonly storage: AttachmentStorage,
    private readonly config: AppConfig,
    private readonly fileRelease: FileReleaseService,
    private readonly readingSlots: FileReadingSlots,
  ) {}

  async upload(
    ctx: RequestContext,
    type: ParentType,
    parentId: string,
    input: UploadInput,
    requestId?: string,
  ): Promise<AttachmentView> {
    const body = input.body instanceof Readable ? input.body : null;
    try {
      return await this.receive(ctx, type, parentId, input, requestId);
    } finally {
      // Not awaited: the refusal is answered at once while the rest of the body is read and dropped
      // behind it; awaiting it held a 413 back until the client had sent 10 s more (probe r6).
      if (body) void drain(body);
    }
  }

  private async receive(
    ctx: RequestContext,
    type: ParentType,
    parentId: string,
    input: UploadInput,
    requestId: string | undefined,
  ): Promise<AttachmentView> {
    const actor = actorOf(ctx);
    const maxBytes = this.config.get('ATTACHMENT_MAX_BYTES');
    const parent = await this.parents.findForUpload(ctx, type, parentId, requestId);
    if (!(input.body instanceof Readable)) throw new UnsupportedMediaTypeError();
    const filename = readFilename(input.filename);
    const supersedes = await this.supersedable(ctx, parent, input.supersedes);
    if (input.contentLength !== undefined && Number(input.contentLength) > maxBytes)
      throw new AttachmentTooLargeError(maxBytes);

    const { temporary, inspected } = await this.stream(input.body, maxBytes, filename);
    const { created } = await this.storage.commit(temporary, inspected.sha256);
    try {
      if (inspected.mediaType === 'application/zip') await this.checkZip(inspected);
      const contentNumbers = await this.numbersIn(ctx, inspected, input.socket);
      return await this.tx.run(async () => {
        await lockContent(this.tx.manager, inspected.sha256);
        // An upload of the same bytes that failed meanwhile may have removed them (rare): refuse
        // rather than record a file whose bytes are not there.
        if ((await this.storage.sizeOf(inspected.sha256)) !== inspected.sizeBytes)
          throw new ConflictError('The upload raced with another one of the same file; send it again.');
        const current = await this.parents.findForUpload(ctx, type, parentId, requestId);
        const file = { filename, supersedes, contentNumbers, ...inspected };
        // A thread of an unsent request to several countries: the file goes on every thread, each
        // copy weighed by the release rule for its own country (one refusal refuses the upload).
        const siblings = type === 'request' ? await unsentDispatchSiblings(this.tx.manager, parentId) : [];
        const id = randomUUID();
        await this.record(ctx, current, { ...file, id, dispatchGroup: siblings.length ? id : null });
        for (const siblingId of siblings) {
          const sibling = await this.parents.findForUpload(ctx, 'request', siblingId);
          const supersedesThere = supersedes && (await groupCopyOn(this.tx.manager, supersedes, siblingId));
          await this.record(ctx, sibling, {
            ...file,
            supersedes: supersedesThere || null,
            id: randomUUID(),
            dispatchGroup: id,
          });
        }
        return toAttachmentView(actor, (await findAttachment(this.tx.manager, id))!);
      });
    } catch (error) {
      if (created) await this.removeUnnamed(inspected.sha256);
      throw error;
    }
  }

  /** One attachment row on `parent`, with its audit event (inside the upload's transaction). */
  private async record(ctx: RequestContext, parent: ParentRecord, file: RecordedFile): Promise<void> {
    const actor = actorOf(ctx);
    // The file goes to every country that reads the record: the release rule weighs its bytes and name.
    await this.fileRelease.attachFile(ctx, file.sha256, parent, file.filename, file.contentNumbers);
    const id = await insertAttachment(this.tx.manager, {
      id: file.id,
      parentType: parent.type,
      parentId: parent.id,
      ownerCountry: parent.ownerCountry,
      filename: file.filename,
      mediaType: file.mediaType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      uploadedBy: actor.userId,
      uploaderCountry: actor.countryCode!,
      supersedes: file.supersedes,
      dispatchGroup: file.dispatchGroup,
    }).catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new ConflictError('That attachment was superseded by another version meanwhile.');
      throw error;
    });
    await this.audit.record(ctx, {
      action: 'attachment.upload',
      recordType: 'attachment',
      recordId: id,
      ownerCountry: parent.ownerCountry,
      counterpartCountry: parent.counterpartCountry,
      after: {
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        mediaType: file.mediaType,
        filename: file.filename,
        parentType: parent.type,
        parentId: parent.id,
        supersedes: file.supersedes,
        ...(file.dispatchGroup && file.dispatchGroup !== id ? { copyOf: file.dispatchGroup } : {}),
      },
    });
  }

  /**
   * Every ZIP, whoever uploads it, is one its recipient can extract safely (`checkZipStructure`): read
   * here, where every upload passes, not only when the number weighing reads it (probe r24).
   */
  private async checkZip(file: InspectedUpload): Promise<void> {
    await checkZipStructure((options) => openStoredZip(this.storage, file.sha256, file.sizeBytes, options), {
      maxExpandedBytes: this.config.get('ATTACHMENT_ZIP_MAX_EXPANDED_BYTES'),
    });
  }

  /**
   * What the stored file says that the release rule weighs wherever it goes: the numbers in its readable
   * text that the uploader's country received, and the numbers of its own it shows (`OwnNumbersSeen`). A file that cannot
   * be read through (a damaged or encrypted ZIP, too much text, too many numbers) is refused (422): what
   * it holds could not be weighed. Read in its turn (`FileReadingSlots`: a few files at once, whatever
   * arrives), its reading deadline counted from when its reading begins; one that cannot have its turn
   * soon enough is refused (503), its stored bytes removed as for any refusal.
   */
  private async numbersIn(ctx: RequestContext, file: InspectedUpload, socket?: Socket): Promise<FileNumbers> {
    const client = new AbortController();
    const gone = () => client.abort();
    socket?.once('close', gone);
    if (socket?.destroyed) client.abort();
    try {
      return await this.readingSlots.read(
        file,
        (lines) => this.fileRelease.numbersInFile(ctx, lines, file.sizeBytes),
        { signal: client.signal },
      );
    } catch (error) {
      if (
        error instanceof UnreadableContentError ||
        error instanceof TooManyNumbersError ||
        error instanceof ReadTooLongError
      )
        throw new AttachmentUnreadableError(file.mediaType, error.message);
      throw error;
    } finally {
      socket?.off('close', gone);
    }
  }

  /** Streams the body into a temporary object; on any failure nothing stays in the storage. */
  private async stream(
    body: Readable,
    maxBytes: number,
    filename: string,
  ): Promise<{ temporary: TemporaryObject; inspected: InspectedUpload }> {
    const inspector = new UploadInspector(maxBytes, filename);
    // Not `pipeline`: it would destroy the request stream on a refusal, and with it the socket
    // the refusal must be answered on. The body is drained instead (see `drain`).
    const onError = (error: Error) => inspector.destroy(error);
    const onClose = () => {
      if (!body.readableEnded) inspector.destroy(new Error('the upload was interrupted'));
    };
    // The storage's own pipeline reports the inspector's error; without a listener of ours it would
    // also surface as an uncaught 'error' event once the pipe lets go of it.
    // It is also kept: a driver may report a failed source in its own words (the S3 SDK does), and
    // the caller must still hear the refusal itself (413, 415).
    let refusal: unknown;
    inspector.on('error', (error) => (refusal ??= error));
    body.once('error', onError);
    body.once('close', onClose);
    body.pipe(inspector);
    const stopWatch = failWhenClientStalls(body, inspector, this.config.get('UPLOAD_IDLE_TIMEOUT_MS'));
    try {
      const temporary = await this.storage.writeTemporary(inspector);
      return { temporary, inspected: inspector.result() };
    } catch (error) {
      if (refusal instanceof DomainError) throw refusal;
      if (error instanceof DomainError) throw error;
      if (!body.readableEnded) throw new UploadInterruptedError();
      throw error;
    } finally {
      stopWatch();
      body.unpipe(inspector);
      body.off('error', onError);
      body.off('close', onClose);
    }
  }

  /** `X-Supersedes`: an attachment of the same parent, given by the caller's country, still active. */
  private async supersedable(
    ctx: RequestContext,
    parent: ParentRecord,
    raw: string | string[] | undefined,
  ): Promise<string | null> {
    if (raw === undefined) return null;
    if (typeof raw !== 'string' || !UUID.test(raw))
      throw new ValidationFailedError([
        { field: 'X-Supersedes', message: 'X-Supersedes must be an attachment id' },
      ]);
    const actor = actorOf(ctx);
    const old = await findVisibleAttachment(this.tx.manager, actor, raw);
    if (!old || old.parent_type !== parent.type || old.parent_id !== parent.id)
      throw new ValidationFailedError([
        { field: 'X-Supersedes', message: 'X-Supersedes names no attachment of this record' },
      ]);
    if (old.uploader_country !== actor.countryCode)
      throw new ValidationFailedError([
        { field: 'X-Supersedes', message: 'only the country that gave a file may give a new version of it' },
      ]);
    if (old.withdrawn_at || old.superseded_by)
      throw new ConflictError('That attachment is withdrawn or already superseded.');
    return old.id;
  }

  private async removeUnnamed(sha256: string): Promise<void> {
    await this.tx.run(async () => {
      await lockContent(this.tx.manager, sha256);
      if (!(await contentIsNamed(this.tx.manager, sha256))) await this.storage.remove(sha256);
    });
  }
}

/**
 * Reads and drops what is left of a refused body, so that a client still sending can read the answer
 * (closing at once would reset the connection under it), for at most `DRAIN_MS`; then the connection
 * is closed.
 */
async function drain(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      body.destroy();
      done();
    }, DRAIN_MS);
    timer.unref();
    body.once('end', done);
    body.once('close', done);
    body.once('error', done);
    body.resume();
  });
}
