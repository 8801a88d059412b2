import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { JoinedWrite, ReadPart, readTogether, SqlParams } from '../database/sql-parts';
import { TransactionService } from '../database/transaction.service';
import type { HandlingCode } from './handling-code';
import { carriedCode } from './handling-rule';
import { decideIdentifier } from './identifier-rule';
import {
  numbersIn,
  numbersInTexts,
  textsIn,
  type OutgoingIdentifier,
  type OutgoingText,
} from './identifier-keys';
import { Channel, ProvenanceStore } from './provenance.store';
import {
  IdentifierFacts,
  identifierProvenanceInsert,
  IdentifierReceipt,
  IdentifierProvenanceStore,
} from './identifier-provenance.store';
import { type FileTexts } from './file-provenance.store';
import { NoActiveFrameworkError, refusal, staysWithRedRecipients } from './release-refused.error';
import { IDENTIFIERS, ReleaseRefusalAudit } from './release-refusal-audit';
import { CooperationService } from './cooperation.service';
import { readByRedRecipientsOnly, recipientOf, RequestChannel } from './request-channel';

/**
 * The release rule on identifiers (phones, accounts, wallets, document numbers) and on the numbers
 * written in any text that leaves (a step's comment, a case's title, a file's name): one the holder
 * never received is its own; one it received goes on only as the codes it came under allow, refused
 * (409, audited for its originator) or recorded as released to the recipient.
 */
@Injectable()
export class IdentifierReleaseService {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
    private readonly refusals: ReleaseRefusalAudit,
    private readonly cooperation: CooperationService,
  ) {}

  private get store() {
    return new ProvenanceStore(this.tx.manager);
  }

  private get identifierStore() {
    return new IdentifierProvenanceStore(this.tx.manager);
  }

  /**
   * Numbers the caller's country received only as the target of RED requests stay with those requests'
   * recipients too: written into a person of its own (which all its officers read), or named in a
   * request that is not RED, they would reach everyone. Refused (409), audited for the originator.
   */
  async keepRedNumbersWithRecipients(ctx: RequestContext, identifiers: OutgoingIdentifier[]): Promise<void> {
    if (!identifiers.length) return;
    const holder = actorOf(ctx).countryCode!;
    const held = await this.identifierStore.identifiersHeldForRedRecipientsOnly(
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
    await this.refusals.auditRefusedValues(
      ctx,
      IDENTIFIERS,
      refused.map((r) => ({ originator: originatorOf.get(r.key)!, value: r.key, rule: 'RED' })),
      holder,
      'within-country',
    );
    throw staysWithRedRecipients(refused, holder);
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
   * A draft of the caller's country after an edit (`RequestDraftEditsService`): `numbers`, every number
   * it now carries (its subject's and its kind's own parts'), is weighed as on its creation and recorded
   * as released to its target (the draft goes as it stands), and a receipt an earlier version of the
   * draft recorded for a number it no longer carries is forgotten: the target never received it, and a
   * receipt left behind would count against the target's own copy of that number once the draft is sent.
   */
  async draftNumbersChanged(
    ctx: RequestContext,
    draft: RequestChannel,
    numbers: OutgoingIdentifier[],
  ): Promise<void> {
    await this.identifierStore.forgetUnsentRequestIdentifiers(draft.id, [
      ...new Set(numbers.map((n) => n.key)),
    ]);
    await this.releaseIdentifiers(ctx, draft, numbers, 'origin');
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

  /**
   * `releaseRequestText` for a write that holds the request's id only; the writer's side is its country's.
   * `record: false`: weighed only, for a text the other side never reads (a draft's file withdrawn).
   */
  async releaseTextOnRequest(
    ctx: RequestContext,
    requestId: string,
    texts: OutgoingText,
    options: { record?: boolean } = {},
  ): Promise<void> {
    if (!numbersInTexts(texts).length) return;
    const [request]: Array<RequestChannel> = await this.tx.manager.query(
      `SELECT id, origin_country AS "originCountry", target_country AS "targetCountry", handling_code AS "handlingCode"
         FROM cross_border_request WHERE id = $1`,
      [requestId],
    );
    const side = request!.originCountry === actorOf(ctx).countryCode ? 'origin' : 'target';
    if (options.record === false)
      await this.releaseIdentifiers(ctx, request!, numbersInTexts(texts), side, RECORD_NONE);
    else await this.releaseRequestText(ctx, request!, texts, side);
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
   *
   * `toldOnly: false`, for text written into the arrest itself (a correction of its place or grounds):
   * every country that reads the arrest reads it as it now stands — one no framework joins to the
   * arresting country today too, once cooperation resumes —, so it is weighed for each of them.
   */
  async releaseArrestText(
    ctx: RequestContext,
    arrestId: string,
    texts: OutgoingText,
    options: { toldOnly?: boolean } = {},
  ): Promise<void> {
    if (!numbersInTexts(texts).length) return;
    // As `ArrestsService.share` locks it: a share under way and this text each wait for the other (probe
    // race 4: a custody reason, a file's withdrawal reason, written while the arrest was being shared).
    await this.store.lockArrest(arrestId);
    const to = await this.store.arrestRecipients(arrestId, actorOf(ctx).countryCode!, {
      toldOnly: options.toldOnly ?? true,
    });
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
    return IdentifierProvenanceStore.identifierFacts(
      params,
      [...new Set(identifiers.map((i) => i.key))],
      holder,
      recipientOf(request, side),
      this.clock.today(),
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
  async releaseFileTexts(
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
  async releaseValues(
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
      IdentifierProvenanceStore.identifierFacts(
        params,
        [...new Set(identifiers.map((i) => i.key))],
        holder,
        recipient,
        this.clock.today(),
        false,
      ),
    ]);
    const released = await this.valuesReleased(ctx, identifiers, recipient, code, channel, facts);
    if (record)
      await this.identifierStore.recordIdentifierProvenance(
        released,
        holder,
        recipient,
        channel,
        actor.userId,
      );
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
      await this.refusals.auditRefusedValues(
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
  async weighIdentifiers(
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
      (keys.length
        ? await this.identifierStore.identifierReceipts(keys, holder, recipient, this.clock.today())
        : []);
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

  /** For a `release` request: identifiers the caller received from the target under GREEN or AMBER. */
  async requireAskableIdentifiers(
    ctx: RequestContext,
    identifiers: OutgoingIdentifier[],
    originator: string,
  ) {
    const holder = actorOf(ctx).countryCode!;
    const keys = identifiers.map((i) => i.key);
    const receipts = await this.identifierStore.identifierReceipts(keys, holder, holder, this.clock.today());
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
    for (const share of shares) await this.cooperation.requireCooperation(holder, share.country_code);
    await this.releaseCaseText(ctx, text, shares, caseId);
  }

  /**
   * Of `keys` (identifiers' provenance keys), those the release rule would let `holder` send to
   * `recipient` today: its own (never received), or received under codes that let them go on to it
   * (CLEAR; GREEN inside the circle; consent given; back to their originator). A hit/no-hit answer
   * that exists only because of received data obeys this, as sending the data would; a copy received
   * as a hidden recipient of a dispatch that also asked `recipient` counts as AMBER for it (probe r49:
   * the hit would tell `recipient` who else was asked).
   */
  async releasableIdentifiers(holder: string, recipient: string, keys: string[]): Promise<Set<string>> {
    const unique = [...new Set(keys)];
    if (!unique.length) return new Set();
    const receipts = await this.identifierStore.identifierReceiptsForCheck(
      unique,
      holder,
      recipient,
      this.clock.today(),
    );
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
}

/**
 * The facts of numbers nobody ever gave the holder: none held for RED recipients, no receipt. (No
 * framework is assumed: the rule asks for one only to pass on what a third country gave.)
 */
const NOTHING_KNOWN: IdentifierFacts = { redOnly: [], cooperates: false, receipts: [] };

/** `releaseIdentifiers`' `recordOnly` that records none of what it weighs. */
const RECORD_NONE: ReadonlySet<string> = new Set();
