import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ReadsFromReplica, ReducesVisibility } from '../database/replicas/read-route';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CountryParam } from '../common/http/country-param';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CasesService } from './cases.service';
import {
  CaseView,
  CreateCaseDto,
  LinkPersonsDto,
  ListCasesQueryDto,
  ShareCaseDto,
  UpdateCaseDto,
} from './dto/case.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  /** Own cases and those shared with the caller's country, newest first. */
  @RequirePermission('cases.read')
  @Get()
  @ReadsFromReplica()
  @ApiPageResponse(CaseView)
  list(@Ctx() ctx: RequestContext, @Query() query: ListCasesQueryDto): Promise<Page<CaseView>> {
    return this.cases.list(ctx, query);
  }

  @RequirePermission('cases.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<CaseView> {
    return this.cases.get(ctx, id);
  }

  @RequirePermission('cases.write')
  @Idempotent()
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateCaseDto): Promise<CaseView> {
    return this.cases.create(ctx, body);
  }

  @RequirePermission('cases.write')
  @Patch(':id')
  update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateCaseDto,
  ): Promise<CaseView> {
    return this.cases.update(ctx, id, body);
  }

  @RequirePermission('cases.write')
  @Post(':id/persons')
  linkPersons(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: LinkPersonsDto,
  ): Promise<CaseView> {
    return this.cases.linkPersons(ctx, id, body);
  }

  /**
   * Takes a person off the case (linked by mistake). A country the case is shared with loses the person
   * as if the share had been revoked for it alone.
   */
  @RequirePermission('cases.write')
  @Delete(':id/persons/:personId')
  @ReducesVisibility()
  unlinkPerson(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('personId') personId: string,
  ): Promise<CaseView> {
    return this.cases.unlinkPerson(ctx, id, personId);
  }

  /** The owner's liaison shares the case read-only with another country. */
  @RequirePermission('cases.share')
  @Post(':id/shares')
  share(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ShareCaseDto): Promise<CaseView> {
    return this.cases.share(ctx, id, body);
  }

  @RequirePermission('cases.share')
  @Delete(':id/shares/:countryCode')
  @ReducesVisibility()
  revokeShare(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @CountryParam() countryCode: string,
  ): Promise<CaseView> {
    return this.cases.revokeShare(ctx, id, countryCode);
  }
}
