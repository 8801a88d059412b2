import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { RequestRoleChangeDto, RoleChangeView } from './dto/role-change.dto';
import { RoleChangesService } from './role-changes.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class RoleChangesController {
  constructor(private readonly roleChanges: RoleChangesService) {}

  /** Role changes of an account, newest first (pending ones wait for a second admin). */
  @RequirePermission('users.read')
  @Get(':id/role-changes')
  list(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<RoleChangeView[]> {
    return this.roleChanges.list(ctx, id);
  }

  /**
   * Asks for new roles for an account of the admin's country (never the admin's own): removing roles
   * applies at once (`applied`); adding any role waits (`pending`) for a second admin's approval.
   */
  @RequirePermission('users.manage')
  @Post(':id/role-changes')
  request(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: RequestRoleChangeDto,
  ): Promise<RoleChangeView> {
    return this.roleChanges.request(ctx, id, body);
  }

  /** A second admin of the country (not the one who asked, not the account itself) applies the change. */
  @RequirePermission('users.manage')
  @Post(':id/role-changes/:changeId/approve')
  @HttpCode(200)
  approve(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('changeId') changeId: string,
  ): Promise<RoleChangeView> {
    return this.roleChanges.approve(ctx, id, changeId);
  }
}
