import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/http/uuid-param';
import { RequirePermission } from '../../common/permissions/require-permission.decorator';
import { Ctx, RequestContext } from '../../common/request-context';
import { MfaService } from './mfa.service';

/** A country admin's reset of another account's second factor (own country only). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class MfaResetController {
  constructor(private readonly mfa: MfaService) {}

  /** Turns off the account's second factor (a lost phone); audited. Never the admin's own. */
  @RequirePermission('users.manage')
  @Post(':id/mfa/reset')
  @HttpCode(204)
  reset(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<void> {
    return this.mfa.reset(ctx, id);
  }
}
