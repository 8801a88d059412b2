import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import { queryPrepared } from '../database/sql-parts';
import { identifierKeys, numbersInAll, type OutgoingIdentifier } from '../sharing/identifier-keys';
import { ReleaseService } from '../sharing/release.service';
import { IdentifierReleaseService } from '../sharing/identifier-release.service';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { Dispatch, recipientsOf } from '../workflow/dto/dispatch.dto';
import { RequestKindRegistry } from '../workflow/request-kind-registry';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import { NewRequest, newRequest, RequestDraftsService } from '../workflow/request-drafts.service';
import type {
  CreateInformationRequestDto,
  EditInformationRequestDto,
  FulfilDto,
  IdentifiersDto,
  InformationRequestView,
} from './dto/information-request.dto';
import { INFORMATION_REQUEST_KIND } from './information-request.kind';
import { requireOwnCase } from '../cases/own-case';
import { editDraftCase } from '../workflow/draft-case-edit';
import type { DraftEdit } from '../workflow/request-kind';

const KIND = 'information' as const;

/** The fields of an information request's draft that are its own (beyond the shared subject and priority). */
type OwnDraftFields = Pick<EditInformationRequestDto, 'questions' | 'identifiers' | 'personIds' | 'caseId'>;

/** Information sharing: questions about persons, phones, accounts and compounds, answered with findings. */
@Injectable()
export class InformationRequestsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly drafts: RequestDraftsService,
    private readonly views: RequestViewsService,
    private readonly persons: PersonsService,
    private readonly release: ReleaseService,
    private readonly identifierRelease: IdentifierReleaseService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(INFORMATION_REQUEST_KIND, {
      viewExtras: (_actor, items) => this.viewExtras(items),
      // A list page reads the persons with its rows: one statement a page, not two.
      listExtras: {
        sql: `ARRAY(SELECT p.person_id::text FROM request_person p
                     WHERE p.request_id = r.id AND p.added_by_side = 'origin' ORDER BY p.person_id)`,
        build: (request) => this.extrasOf(request, request.listed as string[]),
      },
      // The edit DTO (`EditInformationRequestDto`) admits no other fields of its own.
      editDraft: (ctx, draft, changes) => this.editDraft(ctx, draft, changes as OwnDraftFields),
      draftNumbers: (draft) => draftNumbers(draft.payload),
    });
  }

  /**
   * Drafts the request; with `alsoTo`, one thread per country, tied as one dispatch. Each thread passes
   * the release rule for its own country: a person or identifier that may not go to one of them stops
   * the whole request, naming the field.
   */
  async create(ctx: RequestContext, dto: CreateInformationRequestDto): Promise<InformationRequestView> {
    const actor = actorOf(ctx);
    const { countries, dispatch } = recipientsOf(actor.countryCode!, dto.targetCountry, dto);
    const personIds = [...new Set(dto.personIds ?? [])].sort();
    const draft = async () => {
      await requireOwnCase(this.tx.manager, dto.caseId, actor.countryCode);
      await this.persons.requireVisible(ctx, personIds, 'personIds');
      const threads: CrossBorderRequest[] = [];
      for (const targetCountry of countries)
        threads.push(await this.draftThread(ctx, { ...dto, targetCountry }, personIds, dispatch));
      return threads;
    };
    // One country and no persons is one write statement (`draftAlone`), a transaction by itself: no
    // BEGIN and COMMIT round trips. Persons are share-locked until linked, and several threads are
    // several writes: those run in one transaction.
    const [first] = countries.length === 1 && !personIds.length ? await draft() : await this.tx.run(draft);
    // A draft without persons has none to read back; with them, the view reads what was linked.
    return personIds.length
      ? this.views.view(actor, first!)
      : this.views.view(actor, first!, this.extrasOf(first!, []));
  }

  private async draftThread(
    ctx: RequestContext,
    dto: CreateInformationRequestDto,
    personIds: string[],
    dispatch: Dispatch | undefined,
  ): Promise<CrossBorderRequest> {
    const input = {
      ...newRequest(KIND, dto, { questions: dto.questions, identifiers: dto.identifiers ?? {} }),
      dispatch,
      id: randomUUID(),
    };
    const identifiers = [
      ...identifierKeys(dto.identifiers, 'identifiers'),
      // Every text leaves with the request too, whatever its field (questions, an account's institution
      // and holder name…): a number written into it is that number.
      ...numbersInAll(dto, ''),
    ];
    if (!personIds.length) return this.draftAlone(ctx, input, identifiers);
    const request = await this.drafts.createDraft(ctx, input);
    await this.release.linkRequestPersons(
      ctx,
      request,
      personIds.map((personId) => ({ personId, field: `personIds[${dto.personIds!.indexOf(personId)}]` })),
      'origin',
    );
    await this.identifierRelease.releaseIdentifiers(ctx, request, identifiers, 'origin');
    return request;
  }

  /**
   * A thread with no persons, usually in one statement: the draft's checks and what the release rule
   * needs to know of its identifiers are read, and the draft written with their provenance when
   * nothing is known of any (every number its writer's own: the rule lets each go, refusing none). When
   * something is (a number received from another country, or held for RED recipients), that statement
   * writes nothing; the rule is applied to what it read (refusals as ever: the framework first, then
   * the identifiers' codes, in the same order as a create with persons), then one more statement writes
   * the request, its history, audit event and provenance.
   */
  private async draftAlone(
    ctx: RequestContext,
    input: NewRequest & { id: string },
    identifiers: OutgoingIdentifier[],
  ): Promise<CrossBorderRequest> {
    const channel = { ...input, originCountry: actorOf(ctx).countryCode!, id: input.id };
    // `identifiers` holds the subject's numbers too (`numbersInAll` over the whole body, field
    // `subject`): weighed here with the rest, they are not read again by `createDraft`.
    const subjectWeighed = { subjectWeighed: true };
    const ifOwn = await this.identifierRelease.requestIdentifiersIfOwn(ctx, channel, identifiers, 'origin');
    // Nothing to weigh: the write checks the framework itself.
    if (!ifOwn) return this.drafts.createDraft(ctx, input, [], subjectWeighed);
    const written = await this.drafts.createDraftUnless(
      ctx,
      input,
      ifOwn.released ? [ifOwn.released] : [],
      ifOwn,
    );
    if ('created' in written) return written.created;
    const provenance = await this.identifierRelease.requestIdentifiersReleased(
      ctx,
      channel,
      identifiers,
      'origin',
      written.known,
    );
    return this.drafts.createDraft(ctx, input, provenance ? [provenance] : [], subjectWeighed);
  }

  /**
   * The kind's own part of a draft edit (`RequestDraftEditsService`), for one thread: its questions,
   * identifiers and case as the row's new payload and case, and its persons. A person added goes through
   * the release rule for the thread's country as on the draft's creation; one taken off leaves with the
   * release its link recorded (the draft gave its target nothing yet). What the persons on it carry is
   * recorded when it is sent, as they stand then. The numbers of the new payload are weighed by the
   * engine with the subject's (`draftNumbers`).
   */
  private async editDraft(
    ctx: RequestContext,
    draft: CrossBorderRequest,
    changes: OwnDraftFields,
  ): Promise<DraftEdit> {
    const edit: DraftEdit = { fields: {}, before: {}, after: {} };
    const payload = { ...draft.payload };
    for (const field of ['questions', 'identifiers'] as const) {
      // As stored (a plain object, without the fields left out), so that a save of the same is no change.
      const value = changes[field] === undefined ? undefined : JSON.parse(JSON.stringify(changes[field]));
      if (value === undefined || isDeepStrictEqual(value, draft.payload[field])) continue;
      edit.before[field] = draft.payload[field];
      edit.after[field] = value;
      payload[field] = value;
    }
    if (Object.keys(edit.after).length) edit.fields.payload = payload;
    await editDraftCase(this.tx.manager, draft, changes.caseId, edit);
    if (changes.personIds !== undefined) {
      const wanted = [...new Set(changes.personIds)].sort();
      const linked = (await this.originPersons([draft.id])).get(draft.id)!;
      const added = wanted.filter((personId) => !linked.includes(personId));
      const removed = linked.filter((personId) => !wanted.includes(personId));
      if (added.length || removed.length) {
        await this.persons.requireVisible(ctx, added, 'personIds');
        await this.release.unlinkDraftPersons(draft, removed);
        await this.release.linkRequestPersons(
          ctx,
          draft,
          added.map((personId) => ({
            personId,
            field: `personIds[${changes.personIds!.indexOf(personId)}]`,
          })),
          'origin',
        );
        edit.before.personIds = linked;
        edit.after.personIds = wanted;
        edit.personsLinkedOrUnlinked = [...added, ...removed];
      }
    }
    return edit;
  }

  async fulfil(ctx: RequestContext, id: string, dto: FulfilDto): Promise<InformationRequestView> {
    const request = await this.workflow.transition(ctx, KIND, id, 'fulfil', {
      ...dto,
      prepare: async (current) => {
        const found = [];
        for (const person of dto.findings.persons ?? [])
          found.push((await this.persons.createOwned(ctx, person)).id);
        await this.release.linkRequestPersons(
          ctx,
          current,
          found.map((personId, i) => ({ personId, field: `findings.persons[${i}]` })),
          'target',
        );
        await this.identifierRelease.releaseIdentifiers(
          ctx,
          current,
          [
            ...identifierKeys(dto.findings.identifiers, 'findings.identifiers'),
            ...numbersInAll(dto.findings, 'findings'),
          ],
          'target',
        );
        return {
          outcome: {
            summary: dto.findings.summary,
            identifiers: dto.findings.identifiers ?? {},
            personIds: found,
          },
        };
      },
    });
    return this.views.view(actorOf(ctx), request);
  }

  /** The persons the origin linked, for requests viewed alone (a list page reads them with `listExtras`). */
  private async originPersons(ids: string[]): Promise<Map<string, string[]>> {
    const rows = await queryPrepared<{ request_id: string; person_id: string }>(
      this.tx.manager,
      `SELECT request_id, person_id FROM request_person WHERE request_id = ANY($1::uuid[]) AND added_by_side = 'origin' ORDER BY person_id`,
      [ids],
    );
    const byRequest = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const row of rows) byRequest.get(row.request_id)!.push(row.person_id);
    return byRequest;
  }

  /** The kind's own fields of its view: the questions, identifiers and persons asked about, the findings. */
  private async viewExtras(items: ReadonlyArray<{ request: CrossBorderRequest }>) {
    const persons = await this.originPersons(items.map((i) => i.request.id));
    return items.map(({ request }) => this.extrasOf(request, persons.get(request.id) ?? []));
  }

  private extrasOf(r: Pick<CrossBorderRequest, 'payload' | 'outcome'>, personIds: string[]) {
    const outcome = (r.outcome ?? {}) as {
      summary?: string;
      identifiers?: IdentifiersDto;
      personIds?: string[];
    };
    return {
      kind: 'information' as const,
      questions: (r.payload.questions as string[]) ?? [],
      identifiers: (r.payload.identifiers as IdentifiersDto) ?? {},
      personIds,
      findings:
        outcome.summary !== undefined
          ? {
              summary: outcome.summary,
              identifiers: outcome.identifiers ?? {},
              personIds: outcome.personIds ?? [],
            }
          : null,
    } satisfies Partial<InformationRequestView>;
  }
}

/**
 * Every number an information request's own parts carry to its target: its identifiers, and every
 * number written in its questions or in an identifier's text, as its create weighs them (`draftThread`);
 * its subject's are the engine's.
 */
function draftNumbers(payload: Record<string, unknown>): OutgoingIdentifier[] {
  const identifiers = (payload.identifiers ?? {}) as IdentifiersDto;
  return [
    ...identifierKeys(identifiers, 'identifiers'),
    ...numbersInAll({ questions: payload.questions, identifiers }, ''),
  ];
}
