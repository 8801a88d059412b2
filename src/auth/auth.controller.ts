import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TOO_MANY_REQUESTS_RESPONSE } from '../common/errors/problem-details.schema';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/http/public.decorator';
import { Ctx, RequestContext } from '../common/request-context';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, RefreshDto, TokensView } from './dto/auth.dto';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { MeView } from './mfa/dto/mfa.dto';
import { OpenBeforeMfaEnrolment } from './mfa/mfa-policy';
import { MfaService } from './mfa/mfa.service';
import { RequirePermission } from '../common/permissions/require-permission.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
  ) {}

  /**
   * Signs in with username and password (and `code` when the account has a second factor: without it
   * such an account's right password answers 401 `mfa-required`); returns a 15-minute access token and a refresh token. */
  @Public()
  @ApiResponse(TOO_MANY_REQUESTS_RESPONSE)
  // The plugin documents no success for this handler (its guards come first); say it here.
  @ApiOkResponse({ type: TokensView, description: 'Signed in.' })
  @UseGuards(LoginThrottlerGuard, AuthGuard('local'))
  @Post('login')
  @HttpCode(200)
  login(
    @Ctx() ctx: RequestContext,
    @Req() request: FastifyRequest & { user: User },
    @Body() _body: LoginDto,
  ): Promise<TokensView> {
    return this.auth.login(ctx, request.user);
  }

  /** Trades a refresh token for new tokens; the presented one stops working. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Ctx() ctx: RequestContext, @Body() body: RefreshDto): Promise<TokensView> {
    return this.auth.refresh(ctx, body.refreshToken);
  }

  /** Ends the caller's session: its refresh tokens and access tokens stop working. */
  @ApiBearerAuth()
  @RequirePermission('account.self')
  @OpenBeforeMfaEnrolment()
  @Post('logout')
  @HttpCode(204)
  logout(@Ctx() ctx: RequestContext): Promise<void> {
    return this.auth.logout(ctx);
  }

  /** The caller's account, with its second factor's state (`mfa.enabled`, `mfa.required`). */
  @ApiBearerAuth()
  @RequirePermission('account.self')
  @OpenBeforeMfaEnrolment()
  @Get('me')
  me(@Ctx() ctx: RequestContext): Promise<MeView> {
    return this.mfa.me(ctx);
  }

  /** Changes the caller's own password; every session of the user ends. */
  @ApiBearerAuth()
  @RequirePermission('account.self')
  @OpenBeforeMfaEnrolment()
  @Post('password')
  @HttpCode(204)
  changePassword(@Ctx() ctx: RequestContext, @Body() body: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(ctx, body);
  }
}
