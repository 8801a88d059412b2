import { ReducesVisibility } from '../database/replicas/read-route';
import { Body, Controller, Get, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CountryParam } from '../common/http/country-param';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import {
  AgencyView,
  CountryView,
  CreateAgencyDto,
  CreateCountryDto,
  CreateFrameworkDto,
  FrameworkView,
  ListAgenciesQueryDto,
  SetMembershipDto,
  UpdateFrameworkDto,
} from './dto/reference-data.dto';
import { ReferenceDataService } from './reference-data.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller()
export class ReferenceDataController {
  constructor(private readonly referenceData: ReferenceDataService) {}

  @RequirePermission('reference.read')
  @Get('countries')
  countries(): Promise<CountryView[]> {
    return this.referenceData.countries();
  }

  @RequirePermission('reference.manage')
  @Post('countries')
  createCountry(@Ctx() ctx: RequestContext, @Body() body: CreateCountryDto): Promise<CountryView> {
    return this.referenceData.createCountry(ctx, body);
  }

  @RequirePermission('reference.read')
  @Get('agencies')
  agencies(@Query() query: ListAgenciesQueryDto): Promise<AgencyView[]> {
    return this.referenceData.agencies(query.countryCode);
  }

  @RequirePermission('reference.manage')
  @Post('agencies')
  createAgency(@Ctx() ctx: RequestContext, @Body() body: CreateAgencyDto): Promise<AgencyView> {
    return this.referenceData.createAgency(ctx, body);
  }

  @RequirePermission('reference.read')
  @Get('frameworks')
  frameworks(): Promise<FrameworkView[]> {
    return this.referenceData.frameworks();
  }

  @RequirePermission('reference.manage')
  @Post('frameworks')
  createFramework(@Ctx() ctx: RequestContext, @Body() body: CreateFrameworkDto): Promise<FrameworkView> {
    return this.referenceData.createFramework(ctx, body);
  }

  // A change of its state, end date or members (a suspension, a country taken off the list) can end
  // what the members share with each other (`arrestScope`'s `countriesCooperate`), as a membership's end does.
  @RequirePermission('reference.manage')
  @Patch('frameworks/:id')
  @ReducesVisibility()
  updateFramework(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateFrameworkDto,
  ): Promise<FrameworkView> {
    return this.referenceData.updateFramework(ctx, id, body);
  }

  /** A country joins the framework on a date, or leaves it (`leftOn`); its row is kept. */
  @RequirePermission('reference.manage')
  @Put('frameworks/:id/members/:countryCode')
  @ReducesVisibility()
  setMembership(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @CountryParam() countryCode: string,
    @Body() body: SetMembershipDto,
  ): Promise<FrameworkView> {
    return this.referenceData.setMembership(ctx, id, countryCode, body);
  }
}
