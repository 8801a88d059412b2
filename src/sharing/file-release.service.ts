import { Injectable } from '@nestjs/common';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { HandlingCode } from './handling-code';
import { numbersIn, numbersInTexts, type OutgoingIdentifier, type OutgoingText } from './identifier-keys';
import { Channel, ProvenanceStore } from './provenance.store';
import { IdentifierProvenanceStore } from './identifier-provenance.store';
import { FileProvenanceStore } from './file-provenance.store';
import {
  OWN_NUMBERS_READING,
  OwnNumbersSeen,
  ReadTooLongError,
  receivedNumbersIn,
  TooManyNumbersError,
} from './file-numbers';
import { ReleaseRefusedError } from './release-refused.error';
import { FILES, ReleaseRefusalAudit } from './release-refusal-audit';
import { CooperationService } from './cooperation.service';
import { IdentifierReleaseService } from './identifier-release.service';
import { PersonRecipientsService } from './person-recipients.service';

/**
 * The numbers a file's text holds, as its holder uploaded it: those it had received; its own (phones,
 * accounts, documents: `OwnNumbersSeen`).
 */
export interface FileNumbers {
  received: string[];
  own: string[];
}

/** Keys (two to four a number) kept of one file: a month of a phone's calls shows a few thousand numbers. */
const MOST_NUMBERS_IN_A_FILE = 200_000;

/**
 * The release rule on files: a file travels by its bytes, so one another country attached first goes
 * to no third country; what it says (its name, the numbers in its text, its withdrawal reason) is
 * weighed as any text. Attaching or withdrawing a file reaches every country that reads its record.
 */
@Injectable()
export class FileReleaseService {
  constructor(
    private readonly tx: TransactionService,
    private readonly refusals: ReleaseRefusalAudit,
    private readonly cooperation: CooperationService,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly personRecipients: PersonRecipientsService,
  ) {}

  private get store() {
    return new ProvenanceStore(this.tx.manager);
  }

  private get identifierStore() {
    return new IdentifierProvenanceStore(this.tx.manager);
  }

  private get fileStore() {
    return new FileProvenanceStore(this.tx.manager);
  }

  /**
   * Files travel by their bytes: a file another country attached first is bytes the holder received,
   * and the holder passes it to no third country (attachments carry no code of their own, so they are
   * held as AMBER: only with the originator's consent, which files cannot ask yet). Giving it back to
   * the country it came from is allowed. Refused (409), audited for the originator. `record: false`:
   * weighed only, for a country the bytes go to as a draft stands but that receives nothing yet.
   */
  async releaseFiles(
    ctx: RequestContext,
    sha256s: string[],
    recipient: string,
    channel: Channel,
    options: { record?: boolean; code?: HandlingCode } = {},
  ): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    if (!sha256s.length || recipient === holder) return;
    await this.cooperation.requireCooperation(holder, recipient);
    const received = await this.fileStore.foreignFiles(sha256s, holder);
    const foreign = received.filter((f) => f.originator !== recipient);
    if (!foreign.length) {
      // What the files say goes with them: a number another country gave, written in them, is weighed
      // as written in any text (`receivedNumbersIn`, read when the holder uploaded them).
      const numbers = await this.fileStore.fileNumbers(sha256s, holder);
      if (numbers.length)
        await this.identifierRelease.releaseValues(
          ctx,
          numbers.map((key) => ({ key, field: 'attachments' })),
          recipient,
          options.code ?? (await this.store.channelCode(channel, recipient)),
          channel,
          options.record !== false,
        );
      if (options.record === false) return;
      // What goes stays received: the recipient keeps the bytes after the link ends (a revoked share,
      // an ended framework), so the rule weighs them as the recipient's received bytes from now on.
      const originatorOf = new Map(received.map((f) => [f.sha256, f.originator]));
      await this.fileStore.recordFileProvenance(
        [...new Set(sha256s)].map((sha256) => ({ sha256, originator: originatorOf.get(sha256) ?? holder })),
        recipient,
        channel,
      );
      // The numbers the holder's own files show (phones, accounts, documents) reach the recipient as
      // received from the holder, under the code the files go by, as a number written into a field does:
      // the recipient may not pass them on where that code forbids (probe r44: a phone KH wrote only in
      // its AMBER call log was KR's own, to type into a record of its own and send MY).
      const own = sha256s.filter((sha256) => !originatorOf.has(sha256));
      if (own.length) await this.fileStore.holdOwnNumbers(own, holder);
      const ownNumbers = (own.length ? await this.fileStore.fileOwnNumbers(own, holder) : []).filter(
        (key) => !numbers.includes(key),
      );
      if (ownNumbers.length) {
        const code = options.code ?? (await this.store.channelCode(channel, recipient));
        await this.identifierStore.recordIdentifierProvenance(
          ownNumbers.map((key) => ({ key, originator: holder, code })),
          holder,
          recipient,
          channel,
          actorOf(ctx).userId,
        );
      }
      return;
    }
    await this.refusals.auditRefusedValues(
      ctx,
      FILES,
      foreign.map((f) => ({ originator: f.originator, value: f.sha256, rule: 'AMBER' })),
      recipient,
      channel.type,
    );
    throw new ReleaseRefusedError(
      foreign.map((f) => ({
        field: 'attachments',
        message: `a file (sha256 ${f.sha256.slice(0, 12)}…) came from another country and may not go to ${recipient}`,
      })),
      ['AMBER'],
      recipient,
      false,
    );
  }

  /**
   * The numbers `lines` (a file's readable text) hold, for `attachFile`: those the caller's country
   * received from another country until now (a number it received after it wrote the file it knew
   * already), weighed wherever the file goes; and the numbers of its own it shows, given as received
   * from it wherever the file goes (`OwnNumbersSeen`).
   */
  async numbersInFile(
    ctx: RequestContext,
    lines: AsyncIterable<string>,
    storedBytes: number,
  ): Promise<FileNumbers> {
    const holder = actorOf(ctx).countryCode!;
    const received = await this.identifierStore.receivedIdentifierKeys(holder);
    const own = new OwnNumbersSeen(holder, MOST_NUMBERS_IN_A_FILE, storedBytes);
    const read = own.through(lines);
    const found = await receivedNumbersIn(read, received);
    // What the search for received numbers left unread (it stops at once when there are none).
    for await (const _ of read);
    return { received: [...found], own: [...own.keys].filter((key) => !received.has(key)) };
  }

  /**
   * Files a country uploaded before the current reading of their own numbers (`OWN_NUMBERS_READING`),
   * up to `limit`, after `after` (in the order of their contents, then the holder), for the catch-up.
   */
  filesNotReadForOwnNumbers(limit: number, after: { sha256: string; holder: string } | null) {
    return this.fileStore.filesNotReadForOwnNumbers(OWN_NUMBERS_READING, limit, after);
  }

  /**
   * The numbers of its own `lines` show (`OwnNumbersSeen`), for the catch-up: a file that shows more
   * than an upload keeps went out before it was read, and the first ones found are kept, not none.
   */
  async ownNumbersIn(holder: string, lines: AsyncIterable<string>, storedBytes: number): Promise<string[]> {
    const own = new OwnNumbersSeen(holder, MOST_NUMBERS_IN_A_FILE, storedBytes);
    try {
      for await (const _ of own.through(lines));
    } catch (error) {
      if (!(error instanceof TooManyNumbersError || error instanceof ReadTooLongError)) throw error;
    }
    return [...own.keys];
  }

  /**
   * The numbers of its own (`found`) a file `holder` uploaded before the current reading shows, as the
   * catch-up job read them, kept and recorded at the file's recipients (`keepOwnNumbers`). The received numbers the file was found to hold at
   * upload stay weighed as they were. `null` when another run, or an upload of the same bytes, read it
   * first.
   */
  async keepOwnNumbersOfEarlierFile(
    sha256: string,
    holder: string,
    found: string[],
  ): Promise<{ numbers: number; recipients: string[] } | null> {
    const received = new Set(await this.fileStore.fileNumbers([sha256], holder));
    const own = found.filter((key) => !received.has(key));
    const recipients = await this.keepOwnNumbers(sha256, holder, own);
    return recipients && { numbers: own.length, recipients };
  }

  /**
   * Keeps the numbers of its own a file of `holder`'s shows, as the current reading found them, and
   * records each country the same bytes reached so far as having received them from the holder: by each
   * link they reached it by, under that link's code and as of when they reached it (a record the
   * recipient wrote since holds the number as received, as it would had the file been read then; a
   * hit/no-hit check weighs that order). So far: an earlier upload of the bytes, read by an older
   * reading or none, whether the catch-up job or a new upload reads them now. The recipients, or `null`
   * when a reading as new kept them already (nothing written).
   */
  private async keepOwnNumbers(sha256: string, holder: string, own: string[]): Promise<string[] | null> {
    await this.fileStore.holdOwnNumbers([sha256], holder);
    if (!(await this.fileStore.recordFileOwnNumbers(sha256, holder, own, OWN_NUMBERS_READING))) return null;
    const recipients = own.length ? await this.fileStore.ownFileRecipients(sha256, holder) : [];
    for (const { recipient, channel, releasedAt } of recipients) {
      const code = await this.store.channelCode(channel, recipient);
      await this.identifierStore.recordIdentifierProvenance(
        own.map((key) => ({ key, originator: holder, code })),
        holder,
        recipient,
        channel,
        null,
        releasedAt,
      );
    }
    return [...new Set(recipients.map((r) => r.recipient))];
  }

  /** A file attached to a record goes to every country that reads the record. */
  async attachFile(
    ctx: RequestContext,
    sha256: string,
    parent: { type: string; id: string; ownerCountry: string; counterpartCountry: string | null },
    filename?: string,
    contentNumbers: FileNumbers = { received: [], own: [] },
  ): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    await this.fileStore.recordFileNumbers(sha256, holder, contentNumbers.received);
    await this.keepOwnNumbers(sha256, holder, contentNumbers.own);
    // Who the record is shared with is read below: a share of it under way waits for this file, or this
    // file for the share, as the share locks the record. Else each missed the other, and the file reached
    // the new country unweighed, with no receipt (probe race 3).
    if (parent.type === 'case') await this.store.lockCase(parent.id);
    if (parent.type === 'arrest') await this.store.lockArrest(parent.id);
    // A person reaches a country with a share of a case or an arrest holding it, which takes the person
    // `FOR SHARE` when it releases it (`holdings`): this waits for that, or that for this.
    if (parent.type === 'person') await this.store.lockPerson(parent.id);
    await this.keepRedFilesWithRecipients(ctx, sha256, parent);
    await this.keepRedNumbersOffFile(ctx, parent, [
      ...(filename ? numbersIn(filename, 'filename') : []),
      ...contentNumbers.received.map((key) => ({ key, field: 'attachments' })),
    ]);
    // Each recipient with the link the file reaches it by: its receipt is recorded by that link.
    const recipients = new Map<string, Channel>();
    // A request's file goes to its other side, whichever side attaches it (the target answering too).
    if (parent.counterpartCountry) {
      const request: Channel = { type: 'request', id: await this.fileStore.requestOfParent(parent) };
      for (const side of [parent.ownerCountry, parent.counterpartCountry])
        if (side !== holder) recipients.set(side, request);
    }
    if (parent.type === 'case')
      for (const s of await this.store.caseShares(parent.id))
        recipients.set(s.country_code, { type: 'case', id: parent.id });
    if (parent.type === 'person')
      for (const r of await this.personRecipients.keepForEndedCooperation(ctx, parent.id))
        if (!recipients.has(r.country_code))
          recipients.set(r.country_code, { type: r.via_type, id: r.via_id });
    // The target of a draft naming the arrest: weighed (the draft goes as it stands), not yet received.
    const unread = new Set<string>();
    if (parent.type === 'arrest') {
      const rows = await this.store.arrestRecipients(parent.id, holder);
      const reading = new Set(rows.filter((r) => r.reads).map((r) => r.country_code));
      for (const r of rows) {
        recipients.set(r.country_code, { type: 'arrest', id: parent.id });
        if (!reading.has(r.country_code)) unread.add(r.country_code);
      }
    }
    // Recipients it reaches by a request not sent yet.
    const unsent = new Set<string>();
    for (const [recipient, channel] of recipients)
      if (channel.type === 'request' && !(await this.store.requestSent(channel.id))) unsent.add(recipient);
    // A file reaching a country by a request not sent yet: weighed only. It is recorded at the sending
    // if still on its record then — a person's (`requestSent`), the request's own, its freeze targets'
    // and entries' (`releaseRequestFilesOnSending`) —; one replaced or withdrawn before never reaches it
    // (probe r20). Recorded now, the phones it shows counted as the target's receipts though it never
    // read them, and a draft's edit forgot them though it read them later (probe r45).
    for (const [recipient, channel] of recipients)
      await this.releaseFiles(ctx, [sha256], recipient, channel, {
        record: !unread.has(recipient) && !unsent.has(recipient),
      });
    // Its name travels with it, and a number written into a name is weighed as written anywhere else.
    // On a request not sent yet it is weighed only: the name reaches the target with the request if the
    // file is still on it then (`requestSent`), and a file replaced or withdrawn before never does.
    if (filename && numbersIn(filename, 'filename').length)
      for (const [recipient, channel] of recipients)
        await this.identifierRelease.releaseText(
          ctx,
          [['filename', filename]],
          [{ country_code: recipient, handling_code: await this.store.channelCode(channel, recipient) }],
          channel,
          { record: !unread.has(recipient) && !unsent.has(recipient) },
        );
  }

  /**
   * The reason a file is withdrawn with is read, as `withdrawalReason`, by every country that reads the
   * file's record: weighed as that record's own text is. A shared case's file, like an edit of the case,
   * needs a framework joining the owner to each country it is shared with today (`no-active-framework`);
   * a person's goes to the countries that still read the owner's changes (the others keep their copy,
   * taken here, and read neither the withdrawal nor its reason); an arrest's as a custody change's
   * reason; a request's (a freeze target's, a blacklist entry's) to the request's other side, as a
   * step's reason. A record only the caller's country reads sends nothing anywhere.
   */
  async withdrawFile(
    ctx: RequestContext,
    parent: { type: string; id: string; ownerCountry: string },
    reason: string,
  ): Promise<void> {
    const texts: OutgoingText = [['reason', reason]];
    await this.keepRedNumbersOffFile(ctx, parent, numbersInTexts(texts));
    switch (parent.type) {
      case 'case':
        return this.identifierRelease.requireCooperationWithShares(ctx, parent.id, { reason });
      case 'person':
        if (parent.ownerCountry !== actorOf(ctx).countryCode) return;
        // Against the `FOR SHARE` a share of a case or an arrest holding the person takes (probe race 4).
        await this.store.lockPerson(parent.id);
        for (const r of await this.personRecipients.keepForEndedCooperation(ctx, parent.id))
          await this.identifierRelease.releaseText(ctx, texts, [r], { type: r.via_type, id: r.via_id });
        return;
      case 'arrest':
        return this.identifierRelease.releaseArrestText(ctx, parent.id, texts);
      default: {
        // A file withdrawn while its request is a draft never exists for the target, nor its reason
        // (`attachmentDraftedAwaySql`): weighed only, as the draft goes as it stands; recorded, the
        // target's own copy of a number in it was refused as received (probe r45).
        const requestId = await this.fileStore.requestOfParent(parent);
        return this.identifierRelease.releaseTextOnRequest(ctx, requestId, texts, {
          record: await this.store.requestSent(requestId),
        });
      }
    }
  }

  /**
   * What is written on a file — its name, the numbers in its text, its withdrawal reason — is read by
   * every officer and auditor of the caller's country that reads the file's record, whether or not the
   * file goes to another country: a number the country holds for a `RED` request's named recipients only
   * stays with them (409, as in a case's summary), unless the record is that kind of request, read by
   * its recipients and its origin only. The countries it goes to weigh it as well (`releaseText`). Probe
   * r43: a file on a case no other country reads was weighed by nobody.
   */
  private async keepRedNumbersOffFile(
    ctx: RequestContext,
    parent: { type: string; id: string },
    numbers: OutgoingIdentifier[],
  ): Promise<void> {
    if (!numbers.length || (await this.fileStore.parentIsRed(parent, actorOf(ctx).countryCode!))) return;
    await this.identifierRelease.keepRedNumbersWithRecipients(ctx, numbers);
  }

  /**
   * A file the caller's country received only on `RED` requests is for their named recipients: attached
   * to anything else (a case, a person, a request that is not RED) it would reach the whole country.
   */
  private async keepRedFilesWithRecipients(
    ctx: RequestContext,
    sha256: string,
    parent: { type: string; id: string },
  ): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    const [red] = await this.fileStore.redOnlyFiles([sha256], holder);
    if (!red || (await this.fileStore.parentIsRed(parent, holder))) return;
    await this.refusals.auditRefusedValues(
      ctx,
      FILES,
      [{ originator: red.originator, value: sha256, rule: 'RED' }],
      holder,
      parent.type,
    );
    throw new ReleaseRefusedError(
      [
        {
          field: 'attachments',
          message: 'this file came on a RED request and stays with its named recipients',
        },
      ],
      ['RED'],
      holder,
      false,
    );
  }

  /**
   * The files on a request as it leaves (its own, its freeze targets', its blacklist entries'): weighed
   * when each was attached, recorded as received by its target now, with what they carry (the numbers
   * in them, the phones they show), those still standing only (`requestFiles`): one withdrawn or
   * replaced while the request was a draft never reached the target (probe r45).
   */
  async releaseRequestFilesOnSending(
    ctx: RequestContext,
    request: { id: string; targetCountry: string; handlingCode: string },
  ): Promise<void> {
    await this.releaseFiles(
      ctx,
      await this.fileStore.requestFiles(request.id),
      request.targetCountry,
      { type: 'request', id: request.id },
      { code: request.handlingCode as HandlingCode },
    );
  }

  /**
   * A repatriation request the arresting country sends opens its arrests to the target from now on
   * (`arrestScope`), with the files already on them: a file filed while the request was a draft (or
   * while no request was under way) went to no one then (`arrestRecipients`), so it is weighed and its
   * receipt recorded now, with its name, as `attachFile` does for a file filed while the target reads the
   * arrest. A request the other side sends carries none of the sender's arrests.
   */
  async releaseArrestFilesOnSending(
    ctx: RequestContext,
    request: { id: string; originCountry: string; targetCountry: string; handlingCode: string },
  ): Promise<void> {
    const files = await this.fileStore.arrestFilesOnRequest(request.id, request.originCountry);
    const code = request.handlingCode as HandlingCode;
    for (const arrestId of new Set(files.map((f) => f.arrest_id))) {
      const channel: Channel = { type: 'arrest', id: arrestId };
      const onArrest = files.filter((f) => f.arrest_id === arrestId);
      await this.releaseFiles(
        ctx,
        onArrest.map((f) => f.sha256),
        request.targetCountry,
        channel,
        { code },
      );
      await this.identifierRelease.releaseText(
        ctx,
        onArrest.map((f) => ['filename', f.filename] as const),
        [{ country_code: request.targetCountry, handling_code: code }],
        channel,
      );
    }
  }
}
