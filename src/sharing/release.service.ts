import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { positional, requestScope } from '../access/scopes';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { JoinedWrite, ReadPart, readTogether, SqlParams } from '../database/sql-parts';
import { TransactionService } from '../database/transaction.service';
import type { HandlingCode } from './handling-code';
import { KeptCopiesStore } from '../persons/kept-copies.store';
import { carriedCode, decideRelease, looser, ReleaseDecision, stricter } from './handling-rule';
import {
  keyVariants,
  numbersIn,
  numbersInAll,
  numbersInTexts,
  phoneKeys,
  textsIn,
  type OutgoingIdentifier,
  type OutgoingText,
} from './identifier-keys';
import {
  Channel,
  IdentifierFacts,
  identifierProvenanceInsert,
  IdentifierReceipt,
  PersonHolding,
  PersonRecipient,
  type FileTexts,
  ProvenanceStore,
} from './provenance.store';
import { receivedNumbersIn } from './file-numbers';
import { NoActiveFrameworkError, ReleaseRefusedError } from './release-refused.error';
import { WITHHELD_RED } from './withheld-red';

/** A person about to leave, and the request field that named it (for the refusal). */
export interface Outgoing {
  personId: string;
  field: string;
}

/** The request a person is linked to, as the release rule needs it. */
export interface RequestChannel {
  id: string;
  originCountry: string;
  targetCountry: string;
  handlingCode: HandlingCode;
}

/**
 * The one release rule: "may this leave to country Y?". Every write that makes a person visible to
 * another country goes through here (a test fails on an `INSERT` into a link table elsewhere): it refuses
 * what the handling code keeps in (409, audited for the caller's and the originator's auditors), records
 * where what it lets through came from, and writes the link itself.
 */
@Injectable()
export class ReleaseService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get store() {
    return new ProvenanceStore(this.tx.manager);
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  /** Links persons to a request; they go to the other side under the request's handling code. */
  async linkRequestPersons(
    ctx: RequestContext,
    request: RequestChannel,
    persons: Outgoing[],
    side: 'origin' | 'target',
  ): Promise<void> {
    if (!persons.length) return;
    if (!readByRedRecipientsOnly(request, actorOf(ctx).countryCode!))
      await this.keepRedWithRecipients(ctx, persons, { type: 'request', id: request.id });
    const recipient = side === 'origin' ? request.targetCountry : request.originCountry;
    await this.release(ctx, persons, recipient, request.handlingCode, { type: 'request', id: request.id });
    await this.store.insertRequestPersons(request.id, unique(persons), side);
  }

  /**
   * Links persons to a case (or changes their role); each country the case is shared with receives them
   * under its share's code. Returns the links that changed something: a person already linked in that role is left as it
   * is, so repeating a link writes nothing and is audited as nothing.
   */
  async linkCasePersons<L extends { personId: string; role: string; field: string }>(
    ctx: RequestContext,
    caseId: string,
    links: L[],
  ): Promise<L[]> {
    if (!links.length) return [];
    await this.keepRedWithRecipients(ctx, links, { type: 'case', id: caseId });
    await this.store.lockCase(caseId);
    const roles = await this.store.casePersonRoles(caseId);
    const changed = links.filter((link) => roles.get(link.personId) !== link.role);
    if (!changed.length) return [];
    for (const share of await this.store.caseShares(caseId))
      await this.release(ctx, changed, share.country_code, share.handling_code, { type: 'case', id: caseId });
    await this.store.insertCasePersons(caseId, changed);
    return changed;
  }

  /** Shares a case and every person in it; false when it was shared with that country already. */
  async shareCase(
    ctx: RequestContext,
    caseId: string,
    country: string,
    code: HandlingCode,
  ): Promise<boolean> {
    const actor = actorOf(ctx);
    return this.asNewShare(actor.countryCode!, country, async () => {
      await this.store.lockCase(caseId);
      // Numbered as the case view lists them (by id), so `persons[2]` is the third person the owner sees.
      const persons = (await this.store.casePersonIds(caseId)).map((personId, i) => ({
        personId,
        field: `persons[${i}]`,
      }));
      await this.release(ctx, persons, country, code, { type: 'case', id: caseId });
      await this.releaseCaseText(
        ctx,
        await this.store.caseText(caseId),
        [{ country_code: country, handling_code: code }],
        caseId,
      );
      await this.releaseFiles(
        ctx,
        await this.store.filesOf({ caseId }),
        country,
        { type: 'case', id: caseId },
        { code },
      );
      // The case's files are listed to the country with their names and, once withdrawn, why.
      await this.releaseFileTexts(
        ctx,
        await this.store.caseFileTexts(caseId),
        [{ country_code: country, handling_code: code }],
        { type: 'case', id: caseId },
      );
      return this.store.insertCaseShare(
        { caseId, owner: actor.countryCode!, recipient: country, sharedBy: actor.userId, handlingCode: code },
        this.clock.now().getUTCFullYear(),
      );
    });
  }

  /**
   * A new share needs a framework with its country; each step of it checks again (a framework can end
   * between two statements). Whichever step finds it ended, the caller gets the one answer a share to
   * a country without a framework gets (400 on `countryCode`), not the 409 meant for what was shared
   * before the end (probe race 5: two answers for one cause, by timing).
   */
  private async asNewShare<T>(holder: string, country: string, share: () => Promise<T>): Promise<T> {
    await this.requireActiveFramework(holder, country);
    try {
      return await share();
    } catch (e) {
      if (e instanceof NoActiveFrameworkError && e.recipient === country) throw noFramework(holder, country);
      throw e;
    }
  }

  /**
   * Takes the arrest's row lock, as every text written on the arrest does before reading whom it goes to:
   * a share, and what it finds already shared, stays put until the commit (probe race 2).
   */
  lockArrest(arrestId: string): Promise<void> {
    return this.store.lockArrest(arrestId);
  }

  /** Shares an arrest, and so its person; false when it was shared with that country already. */
  async shareArrest(
    ctx: RequestContext,
    arrest: { id: string; personId: string },
    country: string,
    code: HandlingCode,
  ): Promise<boolean> {
    const actor = actorOf(ctx);
    return this.asNewShare(actor.countryCode!, country, () =>
      this.shareArrestNow(ctx, arrest, country, code),
    );
  }

  private async shareArrestNow(
    ctx: RequestContext,
    arrest: { id: string; personId: string },
    country: string,
    code: HandlingCode,
  ): Promise<boolean> {
    const actor = actorOf(ctx);
    await this.release(ctx, [{ personId: arrest.personId, field: 'person' }], country, code, {
      type: 'arrest',
      id: arrest.id,
    });
    await this.releaseFiles(
      ctx,
      await this.store.filesOf({ arrestId: arrest.id }),
      country,
      { type: 'arrest', id: arrest.id },
      { code },
    );
    // Every column MY would read (place, province, district, agency, grounds…), not a list of them, and
    // its files' names; custody reasons and what MY never reads are weighed only (`arrestTextsFor`).
    const texts = await this.store.arrestTextsFor(arrest.id, country);
    await this.releaseFileTexts(
      ctx,
      { ...texts, reaching: [...textsIn(await this.store.arrestRow(arrest.id), ''), ...texts.reaching] },
      [{ country_code: country, handling_code: code }],
      { type: 'arrest', id: arrest.id },
    );
    return this.store.insertArrestShare(arrest.id, country, code, actor.userId);
  }

  /**
   * A person the caller's country received only under RED, as the target of the request it came with,
   * is for that request's named recipients (its liaisons and the assigned officer). Linking it into anything the rest of the
   * country reads — a case, an arrest, a request that is not RED — would show it to all of them:
   * refused (409), audited like any refusal.
   */
  async keepRedWithRecipients(ctx: RequestContext, persons: Outgoing[], channel: Channel): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    if (!persons.length) return;
    const redOnly = new Map(
      (await this.store.heldForRedRecipientsOnly(unique(persons), holder)).map((h) => [
        h.id,
        h.owner_country,
      ]),
    );
    const refused = persons
      .filter((p) => redOnly.has(p.personId))
      .map((p) => ({ ...p, rule: 'RED', originator: redOnly.get(p.personId)!, askable: false }));
    if (!refused.length) return;
    await this.auditRefusal(ctx, refused, holder, channel);
    throw staysWithRedRecipients(refused, holder);
  }

  /**
   * Numbers the caller's country received only as the target of RED requests stay with those requests'
   * recipients too: written into a person of its own (which all its officers read), or named in a
   * request that is not RED, they would reach everyone. Refused (409), audited for the originator.
   */
  async keepRedNumbersWithRecipients(ctx: RequestContext, identifiers: OutgoingIdentifier[]): Promise<void> {
    if (!identifiers.length) return;
    const holder = actorOf(ctx).countryCode!;
    const held = await this.store.identifiersHeldForRedRecipientsOnly(
      [...new Set(identifiers.map((i) => i.key))],
      holder,
    );
    await this.refuseRedHeld(ctx, identifiers, held);
  }

  /** `keepRedNumbersWithRecipients` on what was read: refused (409, audited) when any is RED-held. */
  private async refuseRedHeld(
    ctx: RequestContext,
    identifiers: OutgoingIdentifier[],
    held: Array<{ identifier: string; originator_country: string }>,
  ): Promise<void> {
    if (!held.length) return;
    const holder = actorOf(ctx).countryCode!;
    const originatorOf = new Map(held.map((h) => [h.identifier, h.originator_country]));
    const refused = identifiers.filter((i) => originatorOf.has(i.key));
    await this.auditRefusedValues(
      ctx,
      IDENTIFIERS,
      refused.map((r) => ({ originator: originatorOf.get(r.key)!, value: r.key, rule: 'RED' })),
      holder,
      'within-country',
    );
    throw staysWithRedRecipients(refused, holder);
  }

  /** Persons of the caller's country were written: their numbers must not widen a RED receipt. */
  async personsWritten(ctx: RequestContext, personIds: string[]): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    const holdings = await this.store.holdings(personIds, holder, holder, this.today());
    const several = holdings.length > 1;
    await this.keepRedNumbersWithRecipients(
      ctx,
      holdings.flatMap((h, i) => identifiersOf(h, several ? `persons[${i}]` : '')),
    );
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
    await this.requireCooperation(holder, recipient);
    const received = await this.store.foreignFiles(sha256s, holder);
    const foreign = received.filter((f) => f.originator !== recipient);
    if (!foreign.length) {
      // What the files say goes with them: a number another country gave, written in them, is weighed
      // as written in any text (`receivedNumbersIn`, read when the holder uploaded them).
      const numbers = await this.store.fileNumbers(sha256s, holder);
      if (numbers.length)
        await this.releaseValues(
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
      await this.store.recordFileProvenance(
        [...new Set(sha256s)].map((sha256) => ({ sha256, originator: originatorOf.get(sha256) ?? holder })),
        recipient,
        channel,
      );
      return;
    }
    await this.auditRefusedValues(
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
   * The numbers `lines` (a file's readable text) hold that the caller's country received from another
   * country until now, for `attachFile`: a number it received after it wrote the file it knew already.
   * Nothing is read when it has received none.
   */
  async receivedNumbersIn(ctx: RequestContext, lines: AsyncIterable<string>): Promise<string[]> {
    const received = await this.store.receivedIdentifierKeys(actorOf(ctx).countryCode!);
    return received.size ? [...(await receivedNumbersIn(lines, received))] : [];
  }

  /** A file attached to a record goes to every country that reads the record. */
  async attachFile(
    ctx: RequestContext,
    sha256: string,
    parent: { type: string; id: string; ownerCountry: string; counterpartCountry: string | null },
    filename?: string,
    contentNumbers: string[] = [],
  ): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    await this.store.recordFileNumbers(sha256, holder, contentNumbers);
    // Who the record is shared with is read below: a share of it under way waits for this file, or this
    // file for the share, as the share locks the record. Else each missed the other, and the file reached
    // the new country unweighed, with no receipt (probe race 3).
    if (parent.type === 'case') await this.store.lockCase(parent.id);
    if (parent.type === 'arrest') await this.store.lockArrest(parent.id);
    // A person reaches a country with a share of a case or an arrest holding it, which takes the person
    // `FOR SHARE` when it releases it (`holdings`): this waits for that, or that for this.
    if (parent.type === 'person') await this.store.lockPerson(parent.id);
    await this.keepRedFilesWithRecipients(ctx, sha256, parent);
    // Each recipient with the link the file reaches it by: its receipt is recorded by that link.
    const recipients = new Map<string, Channel>();
    // A request's file goes to its other side, whichever side attaches it (the target answering too).
    if (parent.counterpartCountry) {
      const request: Channel = { type: 'request', id: await this.store.requestOfParent(parent) };
      for (const side of [parent.ownerCountry, parent.counterpartCountry])
        if (side !== holder) recipients.set(side, request);
    }
    if (parent.type === 'case')
      for (const s of await this.store.caseShares(parent.id))
        recipients.set(s.country_code, { type: 'case', id: parent.id });
    if (parent.type === 'person')
      for (const r of await this.keepForEndedCooperation(ctx, parent.id))
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
    // A person's file reaching a country by a request not sent yet: weighed only. It is recorded at the
    // sending if still on the person then (`requestSent`); one replaced before never reaches it (probe
    // r20). A request's own files are recorded now, counted only if still on it at the sending.
    for (const [recipient, channel] of recipients)
      await this.releaseFiles(ctx, [sha256], recipient, channel, {
        record: !unread.has(recipient) && !(parent.type === 'person' && unsent.has(recipient)),
      });
    // Its name travels with it, and a number written into a name is weighed as written anywhere else.
    // On a request not sent yet it is weighed only: the name reaches the target with the request if the
    // file is still on it then (`requestSent`), and a file replaced or withdrawn before never does.
    if (filename && numbersIn(filename, 'filename').length)
      for (const [recipient, channel] of recipients)
        await this.releaseText(
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
    switch (parent.type) {
      case 'case':
        return this.requireCooperationWithShares(ctx, parent.id, { reason });
      case 'person':
        if (parent.ownerCountry !== actorOf(ctx).countryCode) return;
        // Against the `FOR SHARE` a share of a case or an arrest holding the person takes (probe race 4).
        await this.store.lockPerson(parent.id);
        for (const r of await this.keepForEndedCooperation(ctx, parent.id))
          await this.releaseText(ctx, texts, [r], { type: r.via_type, id: r.via_id });
        return;
      case 'arrest':
        return this.releaseArrestText(ctx, parent.id, texts);
      default:
        return this.releaseTextOnRequest(ctx, await this.store.requestOfParent(parent), texts);
    }
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
    const [red] = await this.store.redOnlyFiles([sha256], holder);
    if (!red || (await this.store.parentIsRed(parent, holder))) return;
    await this.auditRefusedValues(
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
   * A person was changed by its owner: every country the owner passed it to that still cooperates with
   * the owner receives the change, so what it now carries (document numbers, phones) is weighed again
   * for each, under the code of the link it went by. A number another country gave under a restrictive
   * code, written into a person already shared, is refused as it would be on a new share. Countries
   * whose cooperation ended keep their copy (`recipientsOf`) and receive nothing; so do countries that
   * read the person only because a partner passed it on (`keepForEndedCooperation`).
   */
  async personChanged(ctx: RequestContext, personId: string): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    for (const to of (await this.recipientsOf(personId, holder)).cooperating)
      await this.release(
        ctx,
        [{ personId, field: '' }],
        to.country_code,
        to.handling_code,
        { type: to.via_type, id: to.via_id },
        { again: true },
      );
  }

  /**
   * Before the owner adds to a person (an edit, a file): a country the owner passed the person to
   * whose framework with the owner has ended keeps the person as it stands now and reads that copy from
   * then on; one that cooperates again reads the live person again. Data given under a framework stays
   * given; later data needs one. Returns the links to the countries that cooperate, which receive the
   * addition.
   *
   * Onward recipients — countries that read the person only because another country (a partner the
   * owner gave it to) passed it on by a record of its own — keep a copy too, silently. The rule: what
   * an onward recipient reads of a person is what the country that passed it on released, as weighed
   * then by the release rule on that country's act; the owner's later additions do not travel through
   * a partner's record. So the owner is never weighed, refused or audited for a recipient it did not
   * create (it would learn where its partner sent the person: the country, and by a refusal the code),
   * and data a third country gave the owner under AMBER, written into the person afterwards, does not
   * reach the onward recipient either (the partner never released it). An onward recipient the owner
   * later passes the person to itself becomes a direct one, and reads the live person again.
   */
  async keepForEndedCooperation(ctx: RequestContext, personId: string): Promise<PersonRecipient[]> {
    const owner = actorOf(ctx).countryCode!;
    const { cooperating, ended, onward } = await this.recipientsOf(personId, owner);
    const copies = new KeptCopiesStore(this.tx.manager);
    const live = [...new Set(cooperating.map((r) => r.country_code))].filter((c) => !ended.includes(c));
    const kept = await copies.keep(personId, ended);
    // Not in the owner's audit: the owner's auditors would read where its partner passed the person.
    await copies.keep(personId, onward, true);
    await this.dropKeptCopies(ctx, personId, owner, live, kept);
    return cooperating;
  }

  /**
   * The one way a kept copy goes (the owner's edit or file, a share, a sent request): the countries'
   * copies of the person go and each reads the live person again, and the owner's auditors read it on
   * the person in the same transaction — `person.kept_copy` with `liveAgainFor`, and `keptFor` the
   * copies taken in the same step. Nothing is recorded when nothing was kept or dropped.
   */
  private async dropKeptCopies(
    ctx: RequestContext,
    personId: string,
    owner: string,
    countries: string[],
    kept: string[] = [],
  ): Promise<void> {
    const liveAgain = await new KeptCopiesStore(this.tx.manager).drop(personId, countries);
    if (kept.length || liveAgain.length)
      await this.audit.record(ctx, {
        action: 'person.kept_copy',
        recordType: 'person',
        recordId: personId,
        ownerCountry: owner,
        details: { keptFor: kept, liveAgainFor: liveAgain },
      });
  }

  /**
   * A request leaves its origin (`approve`): the target reads the origin's persons it names as the
   * request carries them, live, and a copy it kept of one (a request before it withdrawn, a share
   * revoked) goes at once, not at the owner's next change. Not for RED, which only the named recipients
   * read: the rest of the target country keeps what it had.
   */
  async requestSent(
    ctx: RequestContext,
    request: { id: string; originCountry: string; targetCountry: string; handlingCode: string },
  ): Promise<void> {
    const copies = new KeptCopiesStore(this.tx.manager);
    // The origin's copies of others' persons it linked while the request was a draft go on now.
    await copies.passOn(
      await this.store.personsOnRequest(request.id, 'origin'),
      request.originCountry,
      request.targetCountry,
    );
    await this.releaseArrestFilesOnSending(ctx, request);
    // The persons the origin linked, as they stand now: weighed again and what they carry (numbers,
    // files, files' names) recorded as received (`release` recorded nothing of it on the draft).
    const linked = await this.store.personsOnRequest(request.id, 'origin');
    if (linked.length)
      await this.release(
        ctx,
        linked.sort().map((personId) => ({ personId, field: 'personIds' })),
        request.targetCountry,
        request.handlingCode as HandlingCode,
        { type: 'request', id: request.id },
        { again: true },
      );
    // The names of the files on the request as it leaves (weighed when each was attached, recorded now):
    // one replaced or withdrawn while it was a draft never reaches the target (probe r19).
    await this.releaseText(
      ctx,
      (await this.store.requestFileNames(request.id)).map((name) => ['filename', name] as const),
      [{ country_code: request.targetCountry, handling_code: request.handlingCode as HandlingCode }],
      { type: 'request', id: request.id },
    );
    if (request.handlingCode === 'RED') return;
    const kept = await copies.keptForSentRequest(request.id, request.originCountry, request.targetCountry);
    for (const personId of kept)
      await this.dropKeptCopies(ctx, personId, request.originCountry, [request.targetCountry]);
  }

  /**
   * A repatriation request the arresting country sends opens its arrests to the target from now on
   * (`arrestScope`), with the files already on them: a file filed while the request was a draft (or
   * while no request was under way) went to no one then (`arrestRecipients`), so it is weighed and its
   * receipt recorded now, with its name, as `attachFile` does for a file filed while the target reads the
   * arrest. A request the other side sends carries none of the sender's arrests.
   */
  private async releaseArrestFilesOnSending(
    ctx: RequestContext,
    request: { id: string; originCountry: string; targetCountry: string; handlingCode: string },
  ): Promise<void> {
    const files = await this.store.arrestFilesOnRequest(request.id, request.originCountry);
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
      await this.releaseText(
        ctx,
        onArrest.map((f) => ['filename', f.filename] as const),
        [{ country_code: request.targetCountry, handling_code: code }],
        channel,
      );
    }
  }

  /**
   * The countries the owner passed a person to, split by whether each still receives the owner's
   * changes: an active framework joins it to the owner today AND a link the owner made still carries
   * them (`PersonRecipient.live`: a share not revoked, a request under way, an arrest share). Those
   * receive the owner's edits; the others keep what they received — when the framework ended, and as
   * well when the share was revoked or the request withdrawn or closed, even where the country linked
   * the person into records of its own (its case, its request, its arrest, its blacklist proposal):
   * those records hold what it received, not the owner's later edits (probe r7). A RED request the
   * owner sent carries its changes to that request's named recipients only: it is weighed for, but it
   * keeps no country live as a whole, whose copy stays (probe r10; `KeptCopiesStore.of`). `onward`: countries
   * that read it only through another country's record (never named to the owner, nor weighed for its
   * edits).
   */
  async recipientsOf(
    personId: string,
    owner: string,
  ): Promise<{ cooperating: PersonRecipient[]; ended: string[]; onward: string[] }> {
    const recipients = await this.store.personRecipients(personId, owner);
    const framework = new Map<string, boolean>();
    for (const country of new Set(recipients.map((r) => r.country_code)))
      framework.set(country, await this.store.hasActiveFramework(owner, country, this.today()));
    const reads = (country: string) =>
      framework.get(country)! && recipients.some((r) => r.country_code === country && r.live);
    // A RED request reaches its named recipients only: the rest of the country keeps its copy (probe r10).
    const readsAll = (country: string) =>
      framework.get(country)! &&
      recipients.some((r) => r.country_code === country && r.live && !r.red_recipients_only);
    const onward = (await this.store.onwardRecipients(personId, owner)).filter((c) => !framework.has(c));
    // Weighed for: countries that read the owner's changes, and those an unsent request of the owner's
    // will carry them to (it goes as it stands). Each link once.
    const links = new Map<string, PersonRecipient>();
    for (const r of recipients)
      if (reads(r.country_code) || (r.unsent && framework.get(r.country_code)))
        links.set(`${r.country_code} ${r.handling_code} ${r.via_type} ${r.via_id}`, r);
    // Keep a copy: countries that received the person (by a link other than an unsent request) and
    // no longer read the owner's changes.
    const received = (country: string) => recipients.some((r) => r.country_code === country && !r.unsent);
    return {
      cooperating: [...links.values()],
      ended: [...framework.keys()].filter((country) => !readsAll(country) && received(country)),
      onward,
    };
  }

  /**
   * Identifiers (phones, accounts, wallets) a request carries to the other side. One the holder never
   * received is its own; one it received goes on only as the codes it came under allow.
   */
  async releaseIdentifiers(
    ctx: RequestContext,
    request: RequestChannel,
    identifiers: OutgoingIdentifier[],
    side: 'origin' | 'target',
    recordOnly?: ReadonlySet<string>,
  ): Promise<void> {
    const params = new SqlParams();
    const facts = this.requestIdentifierFacts(params, ctx, request, identifiers, side);
    if (!facts) return;
    const [read] = await readTogether(this.tx.manager, params, [facts]);
    const recorded = await this.requestIdentifiersReleased(ctx, request, identifiers, side, read, recordOnly);
    if (recorded) {
      const insert = new SqlParams();
      await this.tx.manager.query(recorded(insert), insert.values);
    }
  }

  /**
   * Free text a request carries to its other side — a step's comment or reason, a plan's places, a
   * decision's grounds: every number written into it is weighed as that number would be (refused with
   * 409 and audited, or recorded as released). `side` is the writer's. The one check every path that
   * writes text the other country reads goes through (the engine's steps, each kind's own writes).
   */
  releaseRequestText(
    ctx: RequestContext,
    request: RequestChannel,
    texts: OutgoingText,
    side: 'origin' | 'target',
  ): Promise<void> {
    return this.releaseIdentifiers(ctx, request, numbersInTexts(texts), side);
  }

  /** `releaseRequestText` for a write that holds the request's id only; the writer's side is its country's. */
  async releaseTextOnRequest(ctx: RequestContext, requestId: string, texts: OutgoingText): Promise<void> {
    if (!numbersInTexts(texts).length) return;
    const [request]: Array<RequestChannel> = await this.tx.manager.query(
      `SELECT id, origin_country AS "originCountry", target_country AS "targetCountry", handling_code AS "handlingCode"
         FROM cross_border_request WHERE id = $1`,
      [requestId],
    );
    const side = request!.originCountry === actorOf(ctx).countryCode ? 'origin' : 'target';
    await this.releaseRequestText(ctx, request!, texts, side);
  }

  /**
   * Arrests a request carries to its other side (a repatriation's): their text — every column of the
   * arrest (grounds, place, province, agency…), and the reasons of their custody changes so far — is
   * weighed as `releaseRequestText` weighs any, each named by the field that listed the arrest; the
   * reasons are not recorded as received (the other side never reads steps taken before the sending).
   */
  async releaseRequestArrests(
    ctx: RequestContext,
    request: RequestChannel,
    arrests: Array<{ id: string; field: string }>,
    side: 'origin' | 'target',
  ): Promise<void> {
    if (!arrests.length) return;
    // As a custody change (`releaseArrestText`) and a share lock an arrest before reading whom it goes
    // to: a step written at the same moment waits for this draft, or this draft for the step, and one is
    // weighed against the other (probe race 5). In id order, so two drafts never wait on each other.
    await this.store.lockArrests(arrests.map((a) => a.id));
    const rows: Array<{ id: string; row: Record<string, unknown>; reasons: string[] }> =
      await this.tx.manager.query(
        `SELECT a.id, to_jsonb(a) AS row,
                ARRAY(SELECT h.reason FROM arrest_custody_history h
                       WHERE h.arrest_id = a.id AND h.reason IS NOT NULL ORDER BY h.id) AS reasons
           FROM arrest a WHERE a.id = ANY($1::uuid[])`,
        [arrests.map((a) => a.id)],
      );
    const fieldOf = new Map(arrests.map((a) => [a.id, a.field]));
    const read = rows.flatMap((r) => textsIn(r.row, fieldOf.get(r.id)!));
    const reasons = rows.flatMap((r) =>
      r.reasons.map((reason) => [`${fieldOf.get(r.id)}.custody.reason`, reason] as const),
    );
    // The reasons of steps taken before: the other side reads the arrest's steps from when it reached
    // it (`arrestSeenSince`), never these. Weighed with the arrest (the draft goes as it stands), not
    // recorded as received by the request: what it reads of them it received by the arrest (probe r20).
    await this.releaseIdentifiers(
      ctx,
      request,
      numbersInTexts([...read, ...reasons]),
      side,
      new Set(numbersInTexts(read).map((n) => n.key)),
    );
  }

  /**
   * Free text written onto an arrest afterwards (a custody change's reason, a file's withdrawal reason)
   * reaches each country that reads the arrest and is told of the step: those it is shared with, under
   * their share's code, and the other side of a repatriation request under way for it, under the
   * request's (`arrestRecipients`) — of them, those an active framework joins to the arresting country
   * now (the step's `told`). A country not told reads the step without its text, ever (`notToldTo`):
   * nothing of the text reaches it, so nothing is weighed or recorded for it (probe r14). The target of
   * the holder's own draft naming the arrest is weighed for (the draft goes as it stands) but receives
   * nothing: it never reads a step taken before the sending (`arrestSeenSince`).
   */
  async releaseArrestText(ctx: RequestContext, arrestId: string, texts: OutgoingText): Promise<void> {
    if (!numbersInTexts(texts).length) return;
    // As `ArrestsService.share` locks it: a share under way and this text each wait for the other (probe
    // race 4: a custody reason, a file's withdrawal reason, written while the arrest was being shared).
    await this.store.lockArrest(arrestId);
    const to = await this.store.arrestRecipients(arrestId, actorOf(ctx).countryCode!, { toldOnly: true });
    const channel: Channel = { type: 'arrest', id: arrestId };
    await this.releaseText(
      ctx,
      texts,
      to.filter((r) => r.reads),
      channel,
    );
    // Weighed under every code the text would go by unread (a draft's), recorded under none of them.
    await this.releaseText(
      ctx,
      texts,
      to.filter((r) => !r.reads),
      channel,
      { record: false },
    );
  }

  /**
   * `releaseIdentifiers` in two halves, for a command that reads in one statement and writes in one:
   * first what the rule needs to know, as a part of the caller's read (none when nothing leaves)…
   */
  requestIdentifierFacts(
    params: SqlParams,
    ctx: RequestContext,
    request: RequestChannel,
    identifiers: OutgoingIdentifier[],
    side: 'origin' | 'target',
  ): ReadPart<IdentifierFacts> | null {
    if (!identifiers.length) return null;
    const holder = actorOf(ctx).countryCode!;
    return ProvenanceStore.identifierFacts(
      params,
      [...new Set(identifiers.map((i) => i.key))],
      holder,
      recipientOf(request, side),
      this.today(),
      !readByRedRecipientsOnly(request, holder),
    );
  }

  /**
   * `requestIdentifierFacts` for a write that goes ahead in the same statement when the facts come to
   * nothing (no RED-held number, no receipt of any: every number is the holder's own), the usual case:
   * `released` is what the rule then lets go (`requestIdentifiersReleased` on no facts: each number the
   * holder's own, nothing refused), `facts` the read, `nothing` the SQL that holds when the read comes to
   * nothing. When it does not, the writer applies `requestIdentifiersReleased` to the facts read, as
   * after a read of its own. Null when nothing leaves.
   */
  async requestIdentifiersIfOwn(
    ctx: RequestContext,
    request: RequestChannel,
    identifiers: OutgoingIdentifier[],
    side: 'origin' | 'target',
  ): Promise<{
    facts: (params: SqlParams) => ReadPart<IdentifierFacts>;
    nothing: (column: string) => string;
    released: JoinedWrite | null;
  } | null> {
    if (!identifiers.length) return null;
    return {
      facts: (params) => this.requestIdentifierFacts(params, ctx, request, identifiers, side)!,
      nothing: (column) =>
        `json_array_length(${column}->'redOnly') = 0 AND json_array_length(${column}->'receipts') = 0`,
      released: await this.requestIdentifiersReleased(ctx, request, identifiers, side, NOTHING_KNOWN),
    };
  }

  /**
   * …then the rule applied to what was read: a refusal throws (409, audited on its own connection), in
   * the same order as ever (RED-held numbers, then cooperation, then each number's codes); what may go
   * comes back as the provenance to record, a part of the caller's write (`JoinedWrite`), or null.
   */
  async requestIdentifiersReleased(
    ctx: RequestContext,
    request: RequestChannel,
    identifiers: OutgoingIdentifier[],
    side: 'origin' | 'target',
    facts: IdentifierFacts,
    recordOnly?: ReadonlySet<string>,
  ): Promise<JoinedWrite | null> {
    const holder = actorOf(ctx).countryCode!;
    await this.refuseRedHeld(ctx, identifiers, facts.redOnly);
    const recipient = recipientOf(request, side);
    const channel: Channel = { type: 'request', id: request.id };
    const weighed = await this.valuesReleased(
      ctx,
      identifiers,
      recipient,
      request.handlingCode,
      channel,
      facts,
    );
    // All weighed; recorded as received only those of `recordOnly` (when given): what the other side reads.
    const released = recordOnly ? weighed.filter((r) => recordOnly.has(r.key)) : weighed;
    if (!released.length) return null;
    const userId = actorOf(ctx).userId;
    return (params, anchor) =>
      identifierProvenanceInsert(params, released, holder, recipient, channel, userId, anchor);
  }

  /**
   * The text of a case (title, summary, tags… every field of it or of its edit) going to each country it
   * is shared with, or to one it is about to be shared with: a number written into it is weighed as
   * that number.
   */
  releaseCaseText(
    ctx: RequestContext,
    text: object,
    to: Array<{ country_code: string; handling_code: HandlingCode }>,
    caseId: string,
  ): Promise<void> {
    return this.releaseText(ctx, textsIn(text, ''), to, { type: 'case', id: caseId });
  }

  /**
   * Free text leaving to each of `to` by `channel`, named by field: a number written into it is weighed
   * as that number (a RED-held one stays with RED's recipients first). `record: false`: weighed only
   * (`releaseFiles`).
   */
  async releaseText(
    ctx: RequestContext,
    fields: ReadonlyArray<readonly [string, string | null | undefined]>,
    to: Array<{ country_code: string; handling_code: HandlingCode }>,
    channel: Channel,
    options: { record?: boolean } = {},
  ): Promise<void> {
    const numbers = fields.flatMap(([field, text]) => numbersIn(text ?? '', field));
    if (!numbers.length) return;
    await this.keepRedNumbersWithRecipients(ctx, numbers);
    for (const share of to)
      await this.releaseValues(
        ctx,
        numbers,
        share.country_code,
        share.handling_code,
        channel,
        options.record !== false,
      );
  }

  /**
   * A record's texts with its files' names and withdrawal reasons (`FileTexts`): all weighed, and
   * recorded as received only where they reach the recipients (not versions withdrawn or replaced before).
   */
  private async releaseFileTexts(
    ctx: RequestContext,
    texts: FileTexts,
    to: Array<{ country_code: string; handling_code: HandlingCode }>,
    channel: Channel,
    record = true,
  ): Promise<void> {
    await this.releaseText(ctx, texts.reaching, to, channel, { record });
    await this.releaseText(ctx, texts.unread, to, channel, { record: false });
  }

  /** Identifiers leaving to `recipient` by `channel`: refused (409, audited) or recorded as released. */
  private async releaseValues(
    ctx: RequestContext,
    identifiers: OutgoingIdentifier[],
    recipient: string,
    code: HandlingCode,
    channel: Channel,
    record = true,
  ): Promise<void> {
    const actor = actorOf(ctx);
    const holder = actor.countryCode!;
    const params = new SqlParams();
    const [facts] = await readTogether(this.tx.manager, params, [
      ProvenanceStore.identifierFacts(
        params,
        [...new Set(identifiers.map((i) => i.key))],
        holder,
        recipient,
        this.today(),
        false,
      ),
    ]);
    const released = await this.valuesReleased(ctx, identifiers, recipient, code, channel, facts);
    if (record)
      await this.store.recordIdentifierProvenance(released, holder, recipient, channel, actor.userId);
  }

  /**
   * The rule on identifiers leaving to `recipient`, on facts read: refused (409, audited) or those
   * released. With no framework joining the two today, a number still goes where the step carrying it
   * may still happen (a reject, a withdrawal, a lifted ban: each step checks that itself, as it must for
   * text with no number in it) when it is the holder's own or goes back to the country it came from: the
   * holder's own words about its own data. Anything it received from a third country needs a framework
   * to travel on (`no-active-framework`), after its code: AMBER+STRICT, RED, AMBER without consent are
   * refused as ever, audited for their originator.
   */
  private async valuesReleased(
    ctx: RequestContext,
    identifiers: OutgoingIdentifier[],
    recipient: string,
    code: HandlingCode,
    channel: Channel,
    facts: IdentifierFacts,
  ): Promise<Array<{ key: string; originator: string; code: HandlingCode }>> {
    const holder = actorOf(ctx).countryCode!;
    const { refused, released } = await this.weighIdentifiers(
      identifiers,
      holder,
      recipient,
      code,
      facts.receipts,
    );
    if (refused.length) {
      await this.auditRefusedValues(
        ctx,
        IDENTIFIERS,
        refused.map((r) => ({ originator: r.originator, value: r.key, rule: r.rule })),
        recipient,
        channel.type,
      );
      throw refusal(refused, recipient);
    }
    // `released` names each number's originator: the holder (its own) or a third country (what goes
    // back to the recipient is not listed). Passing a third country's on is sharing: it needs a framework.
    if (!facts.cooperates && released.some((r) => r.originator !== holder))
      throw new NoActiveFrameworkError(holder, recipient);
    return released;
  }

  /** Each identifier's fate: refused (with the rule), or released with its originator and code. */
  private async weighIdentifiers(
    identifiers: OutgoingIdentifier[],
    holder: string,
    recipient: string,
    channelCode: HandlingCode,
    /** Read already (`identifierFacts`); else read here. */
    known?: IdentifierReceipt[],
  ) {
    const keys = [...new Set(identifiers.map((i) => i.key))];
    const receipts =
      known ??
      (keys.length ? await this.store.identifierReceipts(keys, holder, recipient, this.today()) : []);
    const refused: Array<OutgoingIdentifier & { rule: string; originator: string; askable: boolean }> = [];
    const released = new Map<string, { key: string; originator: string; code: HandlingCode }>();
    for (const id of identifiers) {
      const outcome = decideIdentifier(
        holder,
        recipient,
        receipts.filter((r) => r.identifier === id.key),
      );
      if ('refused' in outcome) refused.push({ ...id, ...outcome.refused });
      else if (outcome.originator !== recipient)
        released.set(id.key, {
          key: id.key,
          originator: outcome.originator,
          code: carriedCode(channelCode, outcome),
        });
    }
    return { refused, released: [...released.values()] };
  }

  /**
   * The code each person is held under by the actor's country, as the actor may know it: the strictest
   * it was received under by channels the actor may read (a person received under AMBER keeps AMBER
   * inside a case shared as GREEN). Persons it never received: absent.
   */
  async heldUnder(personIds: string[], actor: Actor): Promise<Map<string, HandlingCode>> {
    if (!personIds.length) return new Map();
    const params: unknown[] = [personIds, actor.countryCode];
    const readable = positional(requestScope(actor, 'rr'), params);
    const rows = await this.store.receivedCodes(personIds, actor.countryCode!, readable, params);
    // The loosest receipt is the one the release rule lets the person travel on (a person KH gave both
    // under CLEAR and AMBER+STRICT is CLEAR data), so the view names what governs.
    return new Map(rows.map((r) => [r.person_id, r.codes.reduce(looser)]));
  }

  /**
   * The originator's consent, recorded when its liaison accepts a `release` request. A person's covers
   * the numbers it carries now — as the holder holds it (a kept copy, if it keeps one) and as the
   * originator reads it, both —, not what the owner adds later: a number added after the consent needs
   * consent of its own (probe r13). The persons are share-locked while read, so an edit in flight
   * either comes before and is weighed here, or waits and is not covered.
   */
  async grant(
    what: { personIds: string[]; identifiers: string[] },
    holder: string,
    recipient: string,
    grantedBy: string,
    requestId: string,
  ): Promise<void> {
    const keysOf = async (reader: string) =>
      new Map(
        (await this.store.holdings(what.personIds, reader, reader, this.today())).map((h) => [
          h.person_id,
          new Set(identifiersOf(h, '').map((i) => i.key)),
        ]),
      );
    const [held, read] = what.personIds.length
      ? [await keysOf(holder), await keysOf(grantedBy)]
      : [new Map<string, Set<string>>(), new Map<string, Set<string>>()];
    const persons = what.personIds.map((personId) => ({
      personId,
      covers: [...(held.get(personId) ?? [])].filter((key) => read.get(personId)?.has(key)),
    }));
    return this.store.insertGrants(
      { persons, identifiers: what.identifiers },
      holder,
      recipient,
      grantedBy,
      requestId,
    );
  }

  /** For a `release` request: identifiers the caller received from the target under GREEN or AMBER. */
  async requireAskableIdentifiers(
    ctx: RequestContext,
    identifiers: OutgoingIdentifier[],
    originator: string,
  ) {
    const holder = actorOf(ctx).countryCode!;
    const keys = identifiers.map((i) => i.key);
    const receipts = await this.store.identifierReceipts(keys, holder, holder, this.today());
    const errors = identifiers
      .filter(
        (i) =>
          !receipts.some(
            (r) =>
              r.identifier === i.key &&
              r.originator_country === originator &&
              (r.handling_code === 'GREEN' || r.handling_code === 'AMBER'),
          ),
      )
      .map((i) => ({
        field: i.field,
        message: `${i.field} must be an identifier targetCountry gave you under GREEN or AMBER`,
      }));
    if (errors.length) throw new ValidationFailedError(errors);
  }

  /** For a `release` request: the persons must be the target's, held by the caller, and askable. */
  async requireAskable(ctx: RequestContext, persons: Outgoing[], originator: string, recipient: string) {
    const holder = actorOf(ctx).countryCode!;
    const holdings = await this.store.holdings(unique(persons), holder, recipient, this.today());
    const byId = new Map(holdings.map((h) => [h.person_id, h]));
    const errors: FieldError[] = [];
    for (const p of persons) {
      const h = byId.get(p.personId);
      if (!h || h.owner_country !== originator)
        errors.push({ field: p.field, message: `${p.field} must name a person that targetCountry gave you` });
      else if (!h.codes.some((c) => c === 'GREEN' || c === 'AMBER'))
        errors.push({
          field: p.field,
          message: `${p.field} was not received under GREEN or AMBER: it is never passed on`,
        });
    }
    if (errors.length) throw new ValidationFailedError(errors);
  }

  async requireActiveFramework(from: string, to: string): Promise<void> {
    if (!(await this.store.hasActiveFramework(from, to, this.today()))) throw noFramework(from, to);
  }

  /**
   * A case's edits reach every country it is shared with: each needs a framework with the owner today,
   * and numbers written into its new text are weighed for each.
   */
  async requireCooperationWithShares(ctx: RequestContext, caseId: string, text: object = {}): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    // Whom the case is shared with is read below: a share under way waits for this edit, or this edit for
    // the share, as the share locks the case. Else each missed the other and the text reached the new
    // country unweighed (probe race 4: an edited title, a file's withdrawal reason).
    await this.store.lockCase(caseId);
    const shares = await this.store.caseShares(caseId);
    for (const share of shares) await this.requireCooperation(holder, share.country_code);
    await this.releaseCaseText(ctx, text, shares, caseId);
  }

  /**
   * Anything new that leaves to a country needs a framework joining it to the holder today, also
   * through a share or request made while one did (a share is checked when made, and frameworks end).
   */
  private async requireCooperation(holder: string, recipient: string): Promise<void> {
    if (!(await this.cooperates(holder, recipient))) throw new NoActiveFrameworkError(holder, recipient);
  }

  /** Whether an active framework joins the two countries today. */
  cooperates(a: string, b: string): Promise<boolean> {
    return this.store.hasActiveFramework(a, b, this.today());
  }

  /**
   * Of `keys` (identifiers' provenance keys), those the release rule would let `holder` send to
   * `recipient` today: its own (never received), or received under codes that let them go on to it
   * (CLEAR; GREEN inside the circle; consent given; back to their originator). A hit/no-hit answer
   * that exists only because of received data obeys this, as sending the data would.
   */
  async releasableIdentifiers(holder: string, recipient: string, keys: string[]): Promise<Set<string>> {
    const unique = [...new Set(keys)];
    if (!unique.length) return new Set();
    const receipts = await this.store.identifierReceipts(unique, holder, recipient, this.today());
    return new Set(
      unique.filter(
        (key) =>
          !(
            'refused' in
            decideIdentifier(
              holder,
              recipient,
              receipts.filter((r) => r.identifier === key),
            )
          ),
      ),
    );
  }

  private async release(
    ctx: RequestContext,
    persons: Outgoing[],
    recipient: string,
    channelCode: HandlingCode,
    channel: Channel,
    options: { again?: boolean } = {},
  ): Promise<void> {
    const actor = actorOf(ctx);
    const holder = actor.countryCode!;
    if (!persons.length || recipient === holder) return;
    await this.requireCooperation(holder, recipient);
    const holdings = await this.store.holdings(unique(persons), holder, recipient, this.today());
    const byId = new Map(holdings.map((h) => [h.person_id, h]));
    const refused: Array<Outgoing & { rule: string; originator: string; askable: boolean }> = [];
    const released: Array<{ personId: string; originator: string; code: HandlingCode }> = [];
    for (const p of persons) {
      const h = byId.get(p.personId);
      if (!h) continue; // visibility was checked first: an unknown id never reaches here
      const decision = decideRelease({
        holder,
        recipient,
        originator: h.owner_country,
        receipts: h.codes.map((handlingCode) => ({ handlingCode })),
        recipientInGreenCircle: h.green_circle,
        releaseGranted: h.granted,
      });
      if (!decision.allowed) refused.push({ ...p, ...decision, originator: h.owner_country });
      else if (h.owner_country !== recipient)
        released.push({
          personId: p.personId,
          originator: h.owner_country,
          code: carriedCode(channelCode, decision),
        });
    }
    // Document numbers and phones travel with their person, each weighed by the receipts that carried
    // it: on a person another country gave, a number goes under the codes it reached the holder by (one
    // the owner added after a link ended and then gave only under AMBER+STRICT does not go on under the
    // ended link's CLEAR), or the person's where no receipt of it is recorded; on one the holder recorded
    // itself, a number that another country gave is weighed on its own, so copying a passport number or
    // a phone into a new record does not launder it.
    const fieldOf = new Map(persons.map((p) => [p.personId, p.field]));
    const received = dedupe(released)
      .filter((r) => byId.get(r.personId)!.owner_country !== holder)
      .flatMap((r) =>
        identifiersOf(byId.get(r.personId)!, fieldOf.get(r.personId)!).map((i) => ({
          ...i,
          personId: r.personId,
        })),
      );
    const own = persons.flatMap((p) => {
      const h = byId.get(p.personId);
      return h && h.owner_country === holder
        ? identifiersOf(h, p.field).map((i) => ({ ...i, personId: p.personId }))
        : [];
    });
    const keys = [...new Set([...own, ...received].map((i) => i.key))];
    const receipts = keys.length
      ? await this.store.identifierReceipts(keys, holder, recipient, this.today())
      : [];
    const receiptsOf = new Map<string, IdentifierReceipt[]>();
    for (const r of receipts) receiptsOf.set(r.identifier, [...(receiptsOf.get(r.identifier) ?? []), r]);
    const carried: Array<{ key: string; originator: string; code: HandlingCode }> = [];
    for (const i of received) {
      const outcome = decideIdentifier(
        holder,
        recipient,
        receiptsOnPerson(byId.get(i.personId)!, i.key, receiptsOf.get(i.key) ?? []),
      );
      if ('refused' in outcome) refused.push({ ...i, ...outcome.refused });
      else if (outcome.originator !== recipient)
        carried.push({ key: i.key, originator: outcome.originator, code: carriedCode(channelCode, outcome) });
    }
    const weighed = await this.weighIdentifiers(own, holder, recipient, channelCode, receipts);
    for (const r of weighed.refused)
      refused.push({ ...r, personId: own.find((d) => d.key === r.key && d.field === r.field)!.personId });
    if (refused.length) {
      await this.auditRefusal(ctx, refused, recipient, channel);
      throw refusal(refused, recipient);
    }
    // A request not sent yet gives the recipient nothing: what its persons carry is weighed (the draft
    // goes as it stands) and recorded at the sending, as they are then (`requestSent`). A number or file
    // the owner took off a person meanwhile never reaches the recipient, which reads the person live
    // (probe r20).
    const unsent = channel.type === 'request' && !(await this.store.requestSent(channel.id));
    // The files the holder reads on them: on a person it keeps a copy of, those from before the copy.
    await this.releaseFiles(
      ctx,
      await this.store.filesOf({ personIds: unique(persons), holder }),
      recipient,
      channel,
      { code: channelCode, record: !unsent },
    );
    // Listed with their names and withdrawal reasons, which were written before this release: weighed
    // now, as the person's own fields are, whichever record carries the person.
    await this.releaseFileTexts(
      ctx,
      await this.store.personFileTexts(unique(persons), holder),
      [{ country_code: recipient, handling_code: channelCode }],
      channel,
      !unsent,
    );
    // Weighed again after a change, the person itself went already: only its numbers are new.
    if (!options.again) {
      await this.store.recordProvenance(dedupe(released), holder, recipient, channel, actor.userId);
      // The owner gives its person again by a share, which the recipient reads at once: a copy it kept
      // since its last link went (`recipientsOf`) goes, and it reads the person live again, as of this
      // return (`person_return`). A request reaches it only when sent: its copy goes then (`requestSent`).
      const copies = new KeptCopiesStore(this.tx.manager);
      if (channel.type !== 'request')
        for (const r of dedupe(released))
          if (r.originator === holder) await this.dropKeptCopies(ctx, r.personId, holder, [recipient]);
      // A person the holder keeps a copy of goes on as that copy: the recipient reads what the holder
      // holds (`passOn`), not the owner's live person with what was written after the holder's link
      // ended. By a request only once it is sent (`requestSent`): a draft gives the recipient nothing.
      if (channel.type !== 'request' || (await this.store.requestSent(channel.id)))
        await copies.passOn(
          dedupe(released)
            .filter((r) => byId.get(r.personId)!.kept)
            .map((r) => r.personId),
          holder,
          recipient,
        );
    }
    if (!unsent)
      await this.store.recordIdentifierProvenance(
        [...carried, ...weighed.released],
        holder,
        recipient,
        channel,
        actor.userId,
      );
  }

  /** As `auditRefusal`, for values (identifiers, files) rather than persons. */
  private async auditRefusedValues(
    ctx: RequestContext,
    kind: ValueKind,
    refused: Array<{ originator: string; value: string; rule: string }>,
    recipient: string,
    via: string,
  ): Promise<void> {
    for (const group of byOriginatorAndRed(refused))
      await this.audit.recordIndependently(ctx, {
        action: 'release.refused',
        outcome: 'denied',
        recordType: kind.recordType,
        ownerCountry: group.originator,
        details: {
          recipientCountry: recipient,
          via,
          [kind.list]: group.items.map((r) =>
            r.rule === 'RED' ? WITHHELD_RED : { [kind.value]: r.value, rule: r.rule },
          ),
        },
      });
  }

  /**
   * One event per originator, owned by it: its auditors see who tried to pass its data on, and the
   * caller's auditors see it as their own country's action.
   */
  private async auditRefusal(
    ctx: RequestContext,
    refused: Array<Outgoing & { rule: string; originator: string }>,
    recipient: string,
    channel: Channel,
  ): Promise<void> {
    for (const { originator, items: persons } of byOriginatorAndRed(refused)) {
      await this.audit.recordIndependently(ctx, {
        action: 'release.refused',
        outcome: 'denied',
        recordType: 'person',
        recordId: persons.find((r) => r.rule !== 'RED')?.personId,
        ownerCountry: originator,
        details: {
          recipientCountry: recipient,
          via: channel.type,
          persons: persons.map((r) =>
            r.rule === 'RED' ? WITHHELD_RED : { personId: r.personId, rule: r.rule },
          ),
        },
      });
    }
  }
}

/**
 * Whether the holder's side of a request is read only by RED's named recipients: a RED request the
 * holder is the target of (its liaisons and the assigned officer). A RED request the holder sent is
 * read by all its officers, like anything else of its own.
 */
function readByRedRecipientsOnly(request: RequestChannel, holder: string): boolean {
  return request.handlingCode === 'RED' && request.targetCountry === holder;
}

/** Where a request carries what one side sends: to the other side. */
function recipientOf(request: RequestChannel, side: 'origin' | 'target'): string {
  return side === 'origin' ? request.targetCountry : request.originCountry;
}

/**
 * Refusals grouped for their audit events: one event per originator, RED values in an event of their
 * own, so an event naming RED values names nothing else (its readers other than the originator are not
 * told the originator: `asReadBy` in the audit trail).
 */
function byOriginatorAndRed<T extends { originator: string; rule: string }>(
  refused: T[],
): Array<{ originator: string; items: T[] }> {
  const groups = new Map<string, { originator: string; items: T[] }>();
  for (const r of refused) {
    const key = `${r.originator}|${r.rule === 'RED'}`;
    if (!groups.has(key)) groups.set(key, { originator: r.originator, items: [] });
    groups.get(key)!.items.push(r);
  }
  return [...groups.values()];
}

/**
 * The facts of numbers nobody ever gave the holder: none held for RED recipients, no receipt. (No
 * framework is assumed: the rule asks for one only to pass on what a third country gave.)
 */
const NOTHING_KNOWN: IdentifierFacts = { redOnly: [], cooperates: false, receipts: [] };

/** How a refused value is named in its audit event. */
interface ValueKind {
  recordType: string;
  list: string;
  value: string;
}
const IDENTIFIERS: ValueKind = { recordType: 'identifier', list: 'identifiers', value: 'identifier' };
const FILES: ValueKind = { recordType: 'attachment', list: 'files', value: 'sha256' };

/** A link inside the holder's country that would widen what it holds only for RED recipients. */
function staysWithRedRecipients(refused: Array<{ field: string }>, holder: string): ReleaseRefusedError {
  return new ReleaseRefusedError(
    refused.map((r) => ({
      field: r.field,
      message: `${r.field} was received under TLP:RED: it stays with the named recipients of the request it came with`,
    })),
    ['RED'],
    holder,
    false,
  );
}

function refusal(
  refused: Array<{ field: string; rule: string; askable: boolean }>,
  recipient: string,
): ReleaseRefusedError {
  // A value weighed in several forms (a phone's national number too) is named once per field and rule.
  const messages = refused.map(
    (r) =>
      `${r.field} was received under ${r.rule === 'NO-PROVENANCE' ? 'no recorded handling code' : `TLP:${r.rule}`} and may not go to ${recipient}`,
  );
  return new ReleaseRefusedError(
    refused
      .map((r, i) => ({ field: r.field, message: messages[i] }))
      .filter((e, i) => messages.indexOf(e.message) === i),
    [...new Set(refused.map((r) => r.rule))],
    recipient,
    refused.every((r) => r.askable),
  );
}

/**
 * An identifier with no receipt is the holder's own. Otherwise each originator's receipts are weighed
 * as a person's would be; the first originator whose rule allows it is the one it travels on from.
 */
function decideIdentifier(
  holder: string,
  recipient: string,
  receipts: IdentifierReceipt[],
):
  | { originator: string; floor: HandlingCode | null }
  | { refused: { rule: string; originator: string; askable: boolean } } {
  if (!receipts.length) return { originator: holder, floor: null };
  const denials: Array<{ rule: string; originator: string; askable: boolean }> = [];
  for (const originator of new Set(receipts.map((r) => r.originator_country))) {
    const mine = receipts.filter((r) => r.originator_country === originator);
    // A consent covers the receipts of the number it was given for. Receipts of the same key it does not
    // cover (another country's phone with the same national digits) are weighed on their own: the
    // loosest receipt governs one number's receipts, not two numbers' (probe r16).
    const granted = mine.filter((r) => r.granted);
    const groups =
      granted.length && granted.length < mine.length ? [granted, mine.filter((r) => !r.granted)] : [mine];
    const decisions = groups.map((group) =>
      decideRelease({
        holder,
        recipient,
        originator,
        receipts: group.map((r) => ({ handlingCode: r.handling_code })),
        recipientInGreenCircle: group.some((r) => r.green_circle),
        releaseGranted: group.some((r) => r.granted),
      }),
    );
    const denied = decisions.find((d): d is Extract<ReleaseDecision, { allowed: false }> => !d.allowed);
    if (!denied) return { originator, floor: strictestFloor(decisions) };
    denials.push({ rule: denied.rule, originator, askable: denied.askable });
  }
  return { refused: denials[0]! };
}

/** Of decisions that all allow, the floor the strictest of them sets (null: none sets one). */
function strictestFloor(decisions: ReleaseDecision[]): HandlingCode | null {
  const floors = decisions.flatMap((d) => (d.allowed && d.floor ? [d.floor] : []));
  return floors.length ? floors.reduce(stricter) : null;
}

/**
 * A person's document numbers and phones as identifiers, and the numbers written anywhere in it (notes,
 * every part of every name, documents…: every column, `numbersInAll`), named by field under `at`.
 */
function identifiersOf(h: PersonHolding, at: string): OutgoingIdentifier[] {
  const field = (sub: string) => (at ? `${at}.${sub}` : sub);
  return [
    ...h.document_numbers.flatMap((n, i) =>
      keyVariants(n).map((key) => ({ key, field: field(`documents[${i}].number`) })),
    ),
    ...h.phones.flatMap((phone, i) => phoneKeys(phone).map((key) => ({ key, field: field(`phones[${i}]`) }))),
    ...numbersInAll(h.record, at),
  ];
}

/**
 * The receipts a number on a received person is weighed by: those recorded for the number itself (each
 * carried it, from the person's owner or from the country whose number it is), the person's consent
 * counting for the numbers it carried when the consent was given (`granted_keys`: one the owner added
 * afterwards was never consented to, probe r13); where none is recorded, the person's own receipts (the
 * number came with the person), under the same consent.
 */
function receiptsOnPerson(h: PersonHolding, key: string, receipts: IdentifierReceipt[]): IdentifierReceipt[] {
  const consented = h.granted_keys.includes(key);
  if (!receipts.length)
    return h.codes.map((code) => ({
      identifier: '',
      originator_country: h.owner_country,
      handling_code: code,
      green_circle: h.green_circle,
      granted: consented,
    }));
  return receipts.map((r) =>
    r.originator_country === h.owner_country ? { ...r, granted: r.granted || consented } : r,
  );
}

function unique(persons: Array<{ personId: string }>): string[] {
  return [...new Set(persons.map((p) => p.personId))];
}

function dedupe<T extends { personId: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.personId, r])).values()];
}

/** A share asked for a country no framework joins to the caller's today: bad input (400), on the field. */
function noFramework(from: string, to: string): ValidationFailedError {
  return new ValidationFailedError([
    { field: 'countryCode', message: `no active cooperation framework joins ${from} and ${to}` },
  ]);
}
