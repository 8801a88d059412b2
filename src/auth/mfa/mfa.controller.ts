import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../common/permissions/require-permission.decorator';
import { Ctx, RequestContext } from '../../common/request-context';
import { ConfirmMfaEnrolmentDto, DisableMfaDto, MfaEnrolmentView, MfaRecoveryCodesView } from './dto/mfa.dto';
import { OpenBeforeMfaEnrolment } from './mfa-policy';
import { MfaService } from './mfa.service';

/** The caller's own second factor (TOTP). */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/mfa')
@OpenBeforeMfaEnrolment()
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  /** Starts (or starts again) an enrolment: a new secret, pending until `…/confirm`. 409 when on already. */
  @RequirePermission('account.self')
  @Post('enrolment')
  startEnrolment(@Ctx() ctx: RequestContext): Promise<MfaEnrolmentView> {
    return this.mfa.startEnrolment(ctx);
  }

  /** The pending secret's current code turns the second factor on; answers the recovery codes, once. */
  @RequirePermission('account.self')
  @Post('enrolment/confirm')
  @HttpCode(200)
  confirmEnrolment(
    @Ctx() ctx: RequestContext,
    @Body() body: ConfirmMfaEnrolmentDto,
  ): Promise<MfaRecoveryCodesView> {
    return this.mfa.confirmEnrolment(ctx, body.code, body.currentPassword, body.enrolmentPass);
  }

  /** Turns the second factor off with a current code (or a recovery code); wrong codes count toward lockout. */
  @RequirePermission('account.self')
  @Delete()
  @HttpCode(204)
  disable(@Ctx() ctx: RequestContext, @Body() body: DisableMfaDto): Promise<void> {
    return this.mfa.disable(ctx, body.code);
  }
}
