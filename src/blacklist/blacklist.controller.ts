import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ReadsFromReplica } from '../database/replicas/read-route';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { BlacklistAmendmentsService } from './blacklist-amendments.service';
import { BlacklistProposalsService } from './blacklist-proposals.service';
import { BlacklistService } from './blacklist.service';
import {
  ActivateEntriesDto,
  ActivatedEntriesView,
  ActivateEntryDto,
  BlacklistEntryAmendmentView,
  BlacklistEntryView,
  DecideAmendmentDto,
  BlacklistProposalView,
  DecideEntryDto,
  ExtendEntryDto,
  ListAmendmentsQueryDto,
  ListEntriesQueryDto,
  ProposeEntriesDto,
  ProposeOneEntryDto,
} from './dto/blacklist.dto';

/** Entries of the fugitive blacklist. Screeners never list it: they only screen (`/screenings`). */
@ApiTags('blacklist')
@ApiBearerAuth()
@Controller('blacklist-entries')
export class BlacklistController {
  constructor(
    private readonly entries: BlacklistService,
    private readonly proposals: BlacklistProposalsService,
    private readonly amendments: BlacklistAmendmentsService,
  ) {}

  @RequirePermission('blacklist.read')
  @Get()
  @ReadsFromReplica()
  @ApiPageResponse(BlacklistEntryView)
  list(@Ctx() ctx: RequestContext, @Query() query: ListEntriesQueryDto): Promise<Page<BlacklistEntryView>> {
    return this.entries.list(ctx, query);
  }

  @RequirePermission('blacklist.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<BlacklistEntryView> {
    return this.entries.get(ctx, id);
  }

  /** Proposes one person; the answer is the new proposal (a `blacklist` request in draft). */
  @RequirePermission('blacklist.propose')
  @Idempotent()
  @Post()
  async proposeOne(
    @Ctx() ctx: RequestContext,
    @Body() body: ProposeOneEntryDto,
  ): Promise<BlacklistProposalView> {
    const { entry, ...proposal } = body;
    return this.proposals.get(ctx, await this.entries.propose(ctx, { ...proposal, entries: [entry] }));
  }

  /** Proposes up to 1,000 persons at once, all or nothing; invalid rows are reported as `entries[i].field`. */
  @RequirePermission('blacklist.propose')
  @Idempotent()
  @Post('batch')
  async proposeBatch(
    @Ctx() ctx: RequestContext,
    @Body() body: ProposeEntriesDto,
  ): Promise<BlacklistProposalView> {
    return this.proposals.get(ctx, await this.entries.propose(ctx, body));
  }

  /**
   * Banning-country liaison: activates up to 500 entries (ids with their versions) on one legal basis
   * and expiry, all or nothing, each audited as a single activation. Re-screening of past screenings
   * runs afterwards as a background job.
   */
  @RequirePermission('blacklist.decide')
  @Post('activate')
  @HttpCode(200)
  async activateMany(
    @Ctx() ctx: RequestContext,
    @Body() body: ActivateEntriesDto,
  ): Promise<ActivatedEntriesView> {
    return { items: await this.entries.activateMany(ctx, body) };
  }

  /** Banning-country liaison, once the proposal is accepted: bans entry on a legal basis until `expiresOn`. */
  @RequirePermission('blacklist.decide')
  @Post(':id/activate')
  @HttpCode(200)
  activate(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ActivateEntryDto,
  ): Promise<BlacklistEntryView> {
    return this.entries.activate(ctx, id, body);
  }

  @RequirePermission('blacklist.decide')
  @Post(':id/reject')
  @HttpCode(200)
  reject(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: DecideEntryDto,
  ): Promise<BlacklistEntryView> {
    return this.entries.reject(ctx, id, body);
  }

  /** Banning-country liaison ends an active ban, with a reason. */
  @RequirePermission('blacklist.decide')
  @Post(':id/lift')
  @HttpCode(200)
  lift(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: DecideEntryDto,
  ): Promise<BlacklistEntryView> {
    return this.entries.lift(ctx, id, body);
  }

  /**
   * Banning-country liaison keeps an active, unexpired ban in force until a later `expiresOn`, with a
   * reason; the screening profile follows in the same transaction. An expired ban answers 409
   * `ban-expired` (the proposing country proposes the person again).
   */
  @RequirePermission('blacklist.decide')
  @Post(':id/extend')
  @HttpCode(200)
  extend(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ExtendEntryDto,
  ): Promise<BlacklistEntryView> {
    return this.entries.extend(ctx, id, body);
  }

  /**
   * Changes of the entry's identity proposed by the person's owner since activation, newest first. The
   * entry screens against its own identity until the banning country accepts one.
   */
  @RequirePermission('blacklist.read')
  @Get(':id/amendments')
  listAmendments(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Query() query: ListAmendmentsQueryDto,
  ): Promise<BlacklistEntryAmendmentView[]> {
    return this.amendments.list(ctx, id, query);
  }

  /** Banning-country liaison: the entry's identity, search keys and screening profile become the amendment's. */
  @RequirePermission('blacklist.decide')
  @Post(':id/amendments/:amendmentId/accept')
  @HttpCode(200)
  acceptAmendment(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('amendmentId') amendmentId: string,
    @Body() body: DecideAmendmentDto,
  ): Promise<BlacklistEntryAmendmentView> {
    return this.amendments.accept(ctx, id, amendmentId, body);
  }

  /** Banning-country liaison: the entry keeps screening against the identity it has. */
  @RequirePermission('blacklist.decide')
  @Post(':id/amendments/:amendmentId/reject')
  @HttpCode(200)
  rejectAmendment(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('amendmentId') amendmentId: string,
    @Body() body: DecideAmendmentDto,
  ): Promise<BlacklistEntryAmendmentView> {
    return this.amendments.reject(ctx, id, amendmentId, body);
  }
}
