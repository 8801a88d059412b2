import { Injectable } from '@nestjs/common';
import { FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { positional, requestScope } from '../access/scopes';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { HandlingCode } from './handling-code';
import { KeptCopiesStore } from '../persons/kept-copies.store';
import { carriedCode, decideRelease, looser } from './handling-rule';
import {
  keyVariants,
  numbersInAll,
  phoneKeys,
  textsIn,
  walletKey,
  type OutgoingIdentifier,
} from './identifier-keys';
import { Channel, PersonHolding, ProvenanceStore } from './provenance.store';
import { IdentifierReceipt, IdentifierProvenanceStore } from './identifier-provenance.store';
import { FileProvenanceStore } from './file-provenance.store';
import {
  NoActiveFrameworkError,
  noFramework,
  refusal,
  staysWithRedRecipients,
} from './release-refused.error';
import { decideIdentifier } from './identifier-rule';
import { readByRedRecipientsOnly, RequestChannel } from './request-channel';
import { ReleaseRefusalAudit } from './release-refusal-audit';
import { CooperationService } from './cooperation.service';
import { IdentifierReleaseService } from './identifier-release.service';
import { FileReleaseService } from './file-release.service';
import { PersonRecipientsService } from './person-recipients.service';

/** A person about to leave, and the request field that named it (for the refusal). */
export interface Outgoing {
  personId: string;
  field: string;
}

/**
 * The one release rule: "may this leave to country Y?". Every write that makes a person visible to
 * another country goes through here (a test fails on an `INSERT` into a link table elsewhere): it refuses
 * what the handling code keeps in (409, audited for the caller's and the originator's auditors), records
 * where what it lets through came from, and writes the link itself. What a person carries goes with it
 * and is weighed by the rule's other parts: its numbers (`IdentifierReleaseService`), its files
 * (`FileReleaseService`), and the copies countries keep when they no longer read its owner's changes
 * (`PersonRecipientsService`).
 */
@Injectable()
export class ReleaseService {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
    private readonly refusals: ReleaseRefusalAudit,
    private readonly cooperation: CooperationService,
    private readonly identifierRelease: IdentifierReleaseService,
    private readonly fileRelease: FileReleaseService,
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
   * Takes persons off a draft of the caller's country (its edit): the draft gave its target nothing
   * yet, so the release their link recorded goes with the link. What the persons still on it carry is
   * recorded at the sending, as they stand then (`requestSent`). Nothing on a request already sent.
   */
  async unlinkDraftPersons(draft: { id: string }, personIds: string[]): Promise<void> {
    if (!personIds.length) return;
    await this.store.deleteUnsentRequestPersons(draft.id, personIds);
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

  /**
   * Takes a person off a case (one linked by mistake); its role, or null when it was not linked. Each
   * country the case is shared with loses the person as if the share had been revoked for it alone: the
   * release the link recorded stays (what was given stays given), so a country with no other link to it
   * keeps it as it received it — a copy taken at the owner's next change (`PersonRecipientsService.recipientsOf`
   * no longer counts this case as a live link), in its own records, or an onward recipient's silent copy —
   * and one with another link (another shared case, a request, an arrest share) reads it live as before.
   * Under the case's lock, as linking and sharing: a share under way either carries the person or not.
   */
  async unlinkCasePerson(caseId: string, personId: string): Promise<string | null> {
    await this.store.lockCase(caseId);
    return this.store.deleteCasePerson(caseId, personId);
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
      await this.identifierRelease.releaseCaseText(
        ctx,
        await this.store.caseText(caseId),
        [{ country_code: country, handling_code: code }],
        caseId,
      );
      await this.fileRelease.releaseFiles(
        ctx,
        await this.fileStore.filesOf({ caseId }),
        country,
        { type: 'case', id: caseId },
        { code },
      );
      // The case's files are listed to the country with their names and, once withdrawn, why.
      await this.identifierRelease.releaseFileTexts(
        ctx,
        await this.fileStore.caseFileTexts(caseId),
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
    await this.cooperation.requireActiveFramework(holder, country);
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
    await this.fileRelease.releaseFiles(
      ctx,
      await this.fileStore.filesOf({ arrestId: arrest.id }),
      country,
      { type: 'arrest', id: arrest.id },
      { code },
    );
    // Every column MY would read (place, province, district, agency, grounds…), not a list of them, and
    // its files' names; custody reasons and what MY never reads are weighed only (`arrestTextsFor`).
    const texts = await this.fileStore.arrestTextsFor(arrest.id, country);
    await this.identifierRelease.releaseFileTexts(
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
    await this.refusals.auditRefusal(ctx, refused, holder, channel);
    throw staysWithRedRecipients(refused, holder);
  }

  /** Persons of the caller's country were written: their numbers must not widen a RED receipt. */
  async personsWritten(ctx: RequestContext, personIds: string[]): Promise<void> {
    const holder = actorOf(ctx).countryCode!;
    const holdings = await this.store.holdings(personIds, holder, holder, this.clock.today());
    const several = holdings.length > 1;
    await this.identifierRelease.keepRedNumbersWithRecipients(
      ctx,
      holdings.flatMap((h, i) => identifiersOf(h, several ? `persons[${i}]` : '')),
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
    for (const to of (await this.personRecipients.recipientsOf(personId, holder)).cooperating)
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
    await this.fileRelease.releaseArrestFilesOnSending(ctx, request);
    await this.fileRelease.releaseRequestFilesOnSending(ctx, request);
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
    await this.identifierRelease.releaseText(
      ctx,
      (await this.fileStore.requestFileNames(request.id)).map((name) => ['filename', name] as const),
      [{ country_code: request.targetCountry, handling_code: request.handlingCode as HandlingCode }],
      { type: 'request', id: request.id },
    );
    if (request.handlingCode === 'RED') return;
    const kept = await copies.keptForSentRequest(request.id, request.originCountry, request.targetCountry);
    for (const personId of kept)
      await this.personRecipients.dropKeptCopies(ctx, personId, request.originCountry, [
        request.targetCountry,
      ]);
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
        (await this.store.holdings(what.personIds, reader, reader, this.clock.today())).map((h) => [
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

  /** For a `release` request: the persons must be the target's, held by the caller, and askable. */
  async requireAskable(ctx: RequestContext, persons: Outgoing[], originator: string, recipient: string) {
    const holder = actorOf(ctx).countryCode!;
    const holdings = await this.store.holdings(unique(persons), holder, recipient, this.clock.today());
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
    await this.cooperation.requireCooperation(holder, recipient);
    const holdings = await this.store.holdings(unique(persons), holder, recipient, this.clock.today());
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
      ? await this.identifierStore.identifierReceipts(keys, holder, recipient, this.clock.today())
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
    const weighed = await this.identifierRelease.weighIdentifiers(
      own,
      holder,
      recipient,
      channelCode,
      receipts,
    );
    for (const r of weighed.refused)
      refused.push({ ...r, personId: own.find((d) => d.key === r.key && d.field === r.field)!.personId });
    if (refused.length) {
      await this.refusals.auditRefusal(ctx, refused, recipient, channel);
      throw refusal(refused, recipient);
    }
    // A request not sent yet gives the recipient nothing: what its persons carry is weighed (the draft
    // goes as it stands) and recorded at the sending, as they are then (`requestSent`). A number or file
    // the owner took off a person meanwhile never reaches the recipient, which reads the person live
    // (probe r20).
    const unsent = channel.type === 'request' && !(await this.store.requestSent(channel.id));
    // The files the holder reads on them: on a person it keeps a copy of, those from before the copy.
    await this.fileRelease.releaseFiles(
      ctx,
      await this.fileStore.filesOf({ personIds: unique(persons), holder }),
      recipient,
      channel,
      { code: channelCode, record: !unsent },
    );
    // Listed with their names and withdrawal reasons, which were written before this release: weighed
    // now, as the person's own fields are, whichever record carries the person.
    await this.identifierRelease.releaseFileTexts(
      ctx,
      await this.fileStore.personFileTexts(unique(persons), holder),
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
          if (r.originator === holder)
            await this.personRecipients.dropKeptCopies(ctx, r.personId, holder, [recipient]);
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
      await this.identifierStore.recordIdentifierProvenance(
        [...carried, ...weighed.released],
        holder,
        recipient,
        channel,
        actor.userId,
      );
  }
}

/**
 * A person's document numbers, phones and accounts as identifiers, and the numbers written anywhere in it (notes,
 * every part of every name, documents…: every column, `numbersInAll`), named by field under `at`.
 */
function identifiersOf(h: PersonHolding, at: string): OutgoingIdentifier[] {
  const field = (sub: string) => (at ? `${at}.${sub}` : sub);
  return [
    ...h.document_numbers.flatMap((n, i) =>
      keyVariants(n).map((key) => ({ key, field: field(`documents[${i}].number`) })),
    ),
    ...h.phones.flatMap((phone, i) => phoneKeys(phone).map((key) => ({ key, field: field(`phones[${i}]`) }))),
    ...personAccountKeys(h, field),
    ...numbersInAll(h.record, at),
  ];
}

/**
 * A person's account numbers and wallet addresses, keyed as a request's `bankAccounts` and
 * `cryptoAddresses` are (`identifierKeys`): one key space, so an account a partner gave in its findings
 * and copied onto a person is weighed as the same identifier.
 */
function personAccountKeys(h: PersonHolding, field: (sub: string) => string): OutgoingIdentifier[] {
  return (h.accounts ?? [])
    .flatMap((a, i) => [
      ...(a.accountNumber
        ? keyVariants(a.accountNumber).map((key) => ({ key, field: field(`accounts[${i}].accountNumber`) }))
        : []),
      ...(a.address ? [{ key: walletKey(a.address), field: field(`accounts[${i}].address`) }] : []),
    ])
    .filter((i) => i.key !== 'id:');
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
