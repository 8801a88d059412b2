import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/http/uuid-param';
import { RequirePermission } from '../../common/permissions/require-permission.decorator';
import { Ctx, RequestContext } from '../../common/request-context';
import type { MfaEnrolmentPassView } from './dto/mfa.dto';
import { MfaEnrolmentPassService } from './mfa-enrolment-pass.service';
import { MfaService } from './mfa.service';

/** A country admin's hand in another account's second factor (own country only, never their own). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class MfaResetController {
  constructor(
    private readonly mfa: MfaService,
    private readonly passes: MfaEnrolmentPassService,
  ) {}

  /** Turns off the account's second factor (a lost phone); audited. */
  @RequirePermission('users.manage')
  @Post(':id/mfa/reset')
  @HttpCode(204)
  reset(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<void> {
    return this.mfa.reset(ctx, id);
  }

  /**
   * A one-time pass for the account's first enrolment, valid 24 hours, shown once (a new one replaces
   * it); required where its roles require a second factor (MFA_REQUIRED_ROLES). Audited. 409 when the
   * account has a second factor already.
   */
  @RequirePermission('users.manage')
  @Post(':id/mfa/enrolment-pass')
  issueEnrolmentPass(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<MfaEnrolmentPassView> {
    return this.passes.issue(ctx, id);
  }
}
