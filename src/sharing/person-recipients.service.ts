import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { KeptCopiesStore } from '../persons/kept-copies.store';
import { PersonRecipient, ProvenanceStore } from './provenance.store';

/**
 * The countries a person went to, whether each still reads its owner's changes, and the copies kept
 * by those that do not: what an owner's edit of a person reaches, and what stays as it was given.
 */
@Injectable()
export class PersonRecipientsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get store() {
    return new ProvenanceStore(this.tx.manager);
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
   * edits), or that the owner named it to only in a request not sent (a draft gives nothing: probe
   * r56). `live`: the countries that read the owner's changes now.
   */
  async recipientsOf(
    personId: string,
    owner: string,
  ): Promise<{ cooperating: PersonRecipient[]; ended: string[]; onward: string[]; live: string[] }> {
    const recipients = await this.store.personRecipients(personId, owner);
    const framework = new Map<string, boolean>();
    for (const country of new Set(recipients.map((r) => r.country_code)))
      framework.set(country, await this.store.hasActiveFramework(owner, country, this.clock.today()));
    const reads = (country: string) =>
      framework.get(country)! && recipients.some((r) => r.country_code === country && r.live);
    // A RED request reaches its named recipients only: the rest of the country keeps its copy (probe r10).
    const readsAll = (country: string) =>
      framework.get(country)! &&
      recipients.some((r) => r.country_code === country && r.live && !r.red_recipients_only);
    // A country the owner's only link to is a request it has not sent (a draft, or one withdrawn before
    // it was ever sent) was given nothing by the owner: where it reads the person through a partner's
    // record it is an onward recipient as any other, and keeps its copy until the request reaches it
    // (`ReleaseService.requestSent` drops it then; probe r56).
    const received = (country: string) => recipients.some((r) => r.country_code === country && !r.unsent);
    const onward = (await this.store.onwardRecipients(personId, owner)).filter((c) => !received(c));
    // Weighed for: countries that read the owner's changes, and those an unsent request of the owner's
    // will carry them to (it goes as it stands). Each link once.
    const links = new Map<string, PersonRecipient>();
    for (const r of recipients)
      if (reads(r.country_code) || (r.unsent && framework.get(r.country_code)))
        links.set(`${r.country_code} ${r.handling_code} ${r.via_type} ${r.via_id}`, r);
    // Keep a copy: countries that received the person (by a link other than an unsent request) and
    // no longer read the owner's changes.
    const ended = [...framework.keys()].filter((country) => !readsAll(country) && received(country));
    return {
      cooperating: [...links.values()],
      ended,
      onward,
      // Those that read the owner's changes: not a country it has only an unsent request to, which
      // is weighed for (the request goes as it stands) but reads nothing of it yet.
      live: [...framework.keys()].filter((country) => reads(country) && !ended.includes(country)),
    };
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
    const { cooperating, ended, onward, live } = await this.recipientsOf(personId, owner);
    const copies = new KeptCopiesStore(this.tx.manager);
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
   * copies taken in the same step. Nothing is recorded when nothing was kept or dropped. An onward
   * recipient's copy (taken silently: it had the person from a partner) goes silently too: once the owner
   * gives it the person itself it reads it live, but "its copy went" would tell the owner that it had the
   * person before, from someone else (probe r36).
   */
  async dropKeptCopies(
    ctx: RequestContext,
    personId: string,
    owner: string,
    countries: string[],
    kept: string[] = [],
  ): Promise<void> {
    const liveAgain = (await new KeptCopiesStore(this.tx.manager).drop(personId, countries))
      .filter((copy) => !copy.onward)
      .map((copy) => copy.country);
    if (kept.length || liveAgain.length)
      await this.audit.record(ctx, {
        action: 'person.kept_copy',
        recordType: 'person',
        recordId: personId,
        ownerCountry: owner,
        details: { keptFor: kept, liveAgainFor: liveAgain },
      });
  }
}
