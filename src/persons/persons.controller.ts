import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ReadsFromReplica } from '../database/replicas/read-route';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreatePersonDto, SearchPersonsQueryDto, UpdatePersonDto } from './dto/person.dto';
import { PersonView } from './dto/person-view.dto';
import { PersonsService } from './persons.service';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  /** Search by name (any script; case and accents ignored), document number or phone. */
  @RequirePermission('persons.read')
  @Get()
  @ReadsFromReplica()
  @ApiPageResponse(PersonView)
  search(@Ctx() ctx: RequestContext, @Query() query: SearchPersonsQueryDto): Promise<Page<PersonView>> {
    return this.persons.search(ctx, query);
  }

  @RequirePermission('persons.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<PersonView> {
    return this.persons.get(ctx, id);
  }

  @RequirePermission('persons.write')
  @Idempotent()
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreatePersonDto): Promise<PersonView> {
    return this.persons.create(ctx, body);
  }

  @RequirePermission('persons.write')
  @Patch(':id')
  update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdatePersonDto,
  ): Promise<PersonView> {
    return this.persons.update(ctx, id, body);
  }
}
