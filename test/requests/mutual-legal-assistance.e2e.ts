/**
 * Adding a request kind: a `mutual_legal_assistance` kind defined only in this file — its definition,
 * its view, its create DTO, one step of its own and a guard that loads a fact — registered with the
 * engine and driven through the generic routes (create with its DTO, list with every filter, get, the
 * life-cycle steps, assign, a plain fulfil, history).
 *
 * A real kind would live in its own folder and touch three files outside it: `REQUEST_KINDS` in
 * `workflow/cross-border-request.entity.ts`, a migration widening `cross_border_request_kind_check`,
 * and its module in `app.module.ts`. Here the test app mounts the module (`createTestApp({ imports })`),
 * the database's check is widened in this spec's own database, and the kind's name is cast.
 */
import { Body, Controller, HttpCode, Injectable, Module, Post } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { RequirePermission } from '../../src/common/permissions/require-permission.decorator';
import { UuidParam } from '../../src/common/http/uuid-param';
import { actorOf, Ctx, RequestContext } from '../../src/common/request-context';
import { TransactionService } from '../../src/database/transaction.service';
import type { RequestKind } from '../../src/workflow/cross-border-request.entity';
import { RequestDraftDto } from '../../src/workflow/dto/request-draft.dto';
import { RequestHeaderView } from '../../src/workflow/dto/request-header.dto';
import { WorkflowStepDto } from '../../src/workflow/dto/request-thread.dto';
import type { RequestKindDefinition } from '../../src/workflow/request-kind';
import { RequestDraftEditsService } from '../../src/workflow/request-draft-edits.service';
import { RequestDraftsService } from '../../src/workflow/request-drafts.service';
import { RequestKindRegistry } from '../../src/workflow/request-kind-registry';
import { ASSIGN_TRANSITION, BASE_TRANSITIONS } from '../../src/workflow/request-lifecycle';
import { RequestStepRoutes } from '../../src/workflow/request-step-routes';
import { RequestThreadService } from '../../src/workflow/request-thread.service';
import { RequestViewsService } from '../../src/workflow/request-views.service';
import { WorkflowModule } from '../../src/workflow/workflow.module';
import { WorkflowService } from '../../src/workflow/workflow.service';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

const KIND = 'mutual_legal_assistance' as RequestKind;

/** Evidence gathered for the other country's court under a treaty; fulfilled only under a court order. */
const MUTUAL_LEGAL_ASSISTANCE_KIND: RequestKindDefinition = {
  kind: KIND,
  referencePrefix: 'MLA',
  transitions: {
    ...BASE_TRANSITIONS,
    assign: ASSIGN_TRANSITION,
    /** The target liaison records the court order that lets the evidence go. */
    'record-court-order': {
      from: ['accepted'],
      to: null,
      side: 'target',
      roles: ['liaison'],
      guards: ['frameworkActive'],
    },
    fulfil: { ...BASE_TRANSITIONS.fulfil, guards: ['frameworkActive', 'courtOrderRecorded'] },
  },
  dueHours: { routine: 30 * 24 },
  guards: {
    courtOrderRecorded: async ({ request, manager }) => {
      const [row] = await manager.query(
        `SELECT outcome->>'courtOrder' AS court_order FROM cross_border_request WHERE id = $1`,
        [request.id],
      );
      return row?.court_order ? null : { status: 409, reason: 'No court order is recorded yet.' };
    },
  },
};

class CreateMutualLegalAssistanceDto extends RequestDraftDto {
  @IsString()
  @Length(1, 200)
  treaty!: string;
}

class CourtOrderDto extends WorkflowStepDto {
  @IsString()
  @Length(1, 200)
  courtOrder!: string;
}

class MutualLegalAssistanceView extends RequestHeaderView {
  treaty!: string;
  courtOrder!: string | null;
}

@Injectable()
class MutualLegalAssistanceRequests {
  constructor(
    private readonly tx: TransactionService,
    private readonly drafts: RequestDraftsService,
    private readonly views: RequestViewsService,
    kinds: RequestKindRegistry,
  ) {
    kinds.register(MUTUAL_LEGAL_ASSISTANCE_KIND, {
      viewExtras: async (_actor, items) =>
        items.map(({ request }) => ({
          treaty: request.payload.treaty as string,
          courtOrder: (request.outcome?.courtOrder as string | undefined) ?? null,
        })),
    });
  }

  async create(ctx: RequestContext, dto: CreateMutualLegalAssistanceDto): Promise<MutualLegalAssistanceView> {
    const { treaty, ...draft } = dto;
    const request = await this.tx.run(() =>
      this.drafts.createDraft(ctx, { kind: KIND, ...draft, payload: { treaty } }),
    );
    return this.views.view(actorOf(ctx), request);
  }
}

@Controller('mutual-legal-assistance-requests')
class MutualLegalAssistanceController extends RequestStepRoutes<MutualLegalAssistanceView>(
  MUTUAL_LEGAL_ASSISTANCE_KIND,
  MutualLegalAssistanceView,
  {
    create: {
      dto: CreateMutualLegalAssistanceDto,
      summary: 'An origin officer asks for evidence under a treaty.',
    },
  },
) {
  constructor(
    workflow: WorkflowService,
    thread: RequestThreadService,
    views: RequestViewsService,
    edits: RequestDraftEditsService,
    private readonly requests: MutualLegalAssistanceRequests,
  ) {
    super(workflow, thread, views, edits);
  }

  protected override draft(
    ctx: RequestContext,
    body: CreateMutualLegalAssistanceDto,
  ): Promise<MutualLegalAssistanceView> {
    return this.requests.create(ctx, body);
  }

  @RequirePermission('requests.act')
  @Post(':id/record-court-order')
  @HttpCode(200)
  recordCourtOrder(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: CourtOrderDto,
  ): Promise<MutualLegalAssistanceView> {
    return this.step(ctx, id, 'record-court-order', body, undefined, async (current) => ({
      outcome: { ...current.outcome, courtOrder: body.courtOrder },
    }));
  }
}

// Like every kind's module, it imports the engine it plugs into (the engine's module is not global).
@Module({
  imports: [WorkflowModule],
  controllers: [MutualLegalAssistanceController],
  providers: [MutualLegalAssistanceRequests],
})
class MutualLegalAssistanceModule {}

describe('A request kind defined in one file, served by the generic routes (mutual legal assistance)', () => {
  let t: TestApp;
  let tf: TaskForce;
  const base = '/mutual-legal-assistance-requests';
  beforeAll(async () => {
    t = await createTestApp({ imports: [MutualLegalAssistanceModule] });
    // What the kind's migration would do.
    await t.dataSource.query(
      `ALTER TABLE cross_border_request DROP CONSTRAINT cross_border_request_kind_check`,
    );
    await t.dataSource.query(
      `ALTER TABLE cross_border_request ADD CONSTRAINT cross_border_request_kind_check
         CHECK (kind IN ('information', 'asset_freeze', 'repatriation', 'blacklist', 'release', '${KIND}'))`,
    );
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const act = async (who: SignedIn, id: string, action: string, body: object, status = 200) => {
    const res = await who.post(`${base}/${id}/${action}`, body);
    expect({ action, status: res.status, body: res.status === status ? null : res.body }).toEqual({
      action,
      status,
      body: null,
    });
    return res.body;
  };

  it('runs the whole life cycle; its own guard keeps fulfil off the list until the court order is in', async () => {
    const draft = (
      await tf['kr.officer']
        .post(base, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Bank records of the Golden Fortune payroll accounts',
          treaty: 'KR–KH Treaty on Mutual Legal Assistance in Criminal Matters',
        })
        .expect(201)
    ).body;
    expect(draft).toMatchObject({
      kind: KIND,
      status: 'draft',
      reference: null,
      treaty: expect.stringContaining('Mutual Legal Assistance'),
      courtOrder: null,
      // `edit`: every kind's drafts are edited through `PATCH …/:id`.
      allowedActions: ['submit', 'withdraw', 'edit'],
    });
    // Unknown fields are refused by its DTO like any other.
    await tf['kr.officer'].post(base, { ...draft, treaty: 'x', extra: 1 }).expect(400);

    const submitted = await act(tf['kr.officer'], draft.id, 'submit', { version: draft.version });
    await tf['kh.liaison'].get(`${base}/${draft.id}`).expect(404);
    const sent = await act(tf['kr.liaison'], draft.id, 'approve', { version: submitted.version });
    expect(sent.reference).toMatch(/^KR-KH-MLA-\d{4}-\d{6}$/);
    // Its own answer time: 30 days for a routine request.
    expect(Date.parse(sent.dueAt) - Date.parse(sent.sentAt)).toBe(30 * 24 * 3600_000);
    await tf['my.liaison'].get(`${base}/${draft.id}`).expect(404);

    const inbound = (await tf['kh.liaison'].get(`${base}/${draft.id}`).expect(200)).body;
    expect(inbound).toMatchObject({ direction: 'inbound', allowedActions: ['accept', 'reject'] });
    const accepted = await act(tf['kh.liaison'], draft.id, 'accept', { version: sent.version });
    expect(accepted.allowedActions).toEqual(['assign', 'record-court-order']);
    await act(tf['kh.liaison'], draft.id, 'fulfil', { version: accepted.version }, 409);

    const assigned = await act(tf['kh.liaison'], draft.id, 'assign', {
      version: accepted.version,
      assigneeId: await tf.userId('kh.officer'),
    });
    expect(assigned.assignedTo).toBe(await tf.userId('kh.officer'));
    // The origin learns that it moved on, not which of KH's users has it.
    const outbound = (await tf['kr.officer'].get(`${base}/${draft.id}`).expect(200)).body;
    expect(outbound).toMatchObject({ version: assigned.version, assignedTo: null });
    const ordered = await act(tf['kh.liaison'], draft.id, 'record-court-order', {
      version: assigned.version,
      courtOrder: 'Phnom Penh Municipal Court order 2026/118',
    });
    expect(ordered).toMatchObject({ courtOrder: 'Phnom Penh Municipal Court order 2026/118' });
    expect(ordered.allowedActions).toEqual(['fulfil', 'assign', 'record-court-order']);
    // A stale version is refused before the step's own work runs.
    await act(
      tf['kh.liaison'],
      draft.id,
      'record-court-order',
      { version: accepted.version, courtOrder: 'x' },
      409,
    );
    const fulfilled = await act(tf['kh.officer'], draft.id, 'fulfil', { version: ordered.version });
    expect(fulfilled.status).toBe('fulfilled');
    const closed = await act(tf['kr.officer'], draft.id, 'close', { version: fulfilled.version });
    expect(closed).toMatchObject({ status: 'closed', allowedActions: [], courtOrder: expect.any(String) });

    const history = (await tf['kr.officer'].get(`${base}/${draft.id}/history`).expect(200)).body;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'submit',
      'approve',
      'accept',
      'assign',
      'record-court-order',
      'fulfil',
      'close',
    ]);
    const audited = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE record_id = $1 ORDER BY id`,
      [draft.id],
    );
    expect(audited.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['request.create', 'request.record-court-order', 'request.fulfil']),
    );
  });

  it('is listed by the one list query, with every filter and q', async () => {
    const draft = (
      await tf['kr.officer']
        .post(base, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'GREEN',
          subject: 'Witness statement of the compound cook, 100% voluntary',
          treaty: 'KR–KH Treaty',
        })
        .expect(201)
    ).body;
    const ids = async (query: string) =>
      (await tf['kr.officer'].get(`${base}?${query}`).expect(200)).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids('q=compound%20cook')).toEqual([draft.id]);
    expect(await ids('q=100%25')).toEqual([draft.id]);
    expect(await ids('q=%25%25%25')).toEqual([]);
    expect(await ids('status=draft&priority=urgent&direction=outbound&counterpartCountry=KH')).toContain(
      draft.id,
    );
    expect(await ids('status=closed')).not.toContain(draft.id);
    expect(await ids('direction=inbound')).toEqual([]);
    const firstPage = (await tf['kr.officer'].get(`${base}?limit=1`).expect(200)).body;
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const next = (await tf['kr.officer'].get(`${base}?limit=1&cursor=${firstPage.nextCursor}`).expect(200))
      .body;
    expect(next.items[0].id).not.toBe(firstPage.items[0].id);
    await tf['kr.officer'].get(`${base}?cursor=not-a-cursor`).expect(400);
    await tf['kr.officer'].get(`${base}?overdue=maybe`).expect(400);
    // Another kind's list does not show it.
    const information = (await tf['kr.officer'].get('/information-requests?q=compound%20cook').expect(200))
      .body;
    expect(information.items).toEqual([]);
  });
});
