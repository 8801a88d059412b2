import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/http/uuid-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { CreateUserDto, ListUsersQueryDto, ResetPasswordDto, UpdateUserDto } from './dto/user-commands.dto';
import { UserView } from './dto/user-view.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Accounts of the admin's own country, newest first. */
  @RequirePermission('users.read')
  @Get()
  @ApiPageResponse(UserView)
  list(@Ctx() ctx: RequestContext, @Query() query: ListUsersQueryDto): Promise<Page<UserView>> {
    return this.users.list(ctx, query);
  }

  @RequirePermission('users.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<UserView> {
    return this.users.get(ctx, id);
  }

  @RequirePermission('users.manage')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(ctx, body);
  }

  @RequirePermission('users.manage')
  @Patch(':id')
  update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(ctx, id, body);
  }

  @RequirePermission('users.manage')
  @Post(':id/disable')
  @HttpCode(200)
  disable(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<UserView> {
    return this.users.setStatus(ctx, id, 'disabled');
  }

  @RequirePermission('users.manage')
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<UserView> {
    return this.users.setStatus(ctx, id, 'active');
  }

  /** Lifts a sign-in lockout before its 30 minutes are over. */
  @RequirePermission('users.manage')
  @Post(':id/unlock')
  @HttpCode(200)
  unlock(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<UserView> {
    return this.users.unlock(ctx, id);
  }

  /**
   * Sets a new password; every session of the user ends, and the account cannot sign in until a second
   * admin of the country confirms the reset (`passwordResetBy` names the admin who made it).
   */
  @RequirePermission('users.manage')
  @Post(':id/reset-password')
  @HttpCode(204)
  resetPassword(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    return this.users.resetPassword(ctx, id, body);
  }

  /**
   * A second admin of the country (not the one who reset the password, not the account itself)
   * confirms a password reset: the account signs in again. 409 when no reset awaits a confirmation.
   */
  @RequirePermission('users.manage')
  @Post(':id/reset-password/confirm')
  @HttpCode(200)
  confirmPasswordReset(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<UserView> {
    return this.users.confirmPasswordReset(ctx, id);
  }
}
