import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { AutoAnswerSettingDto, AutoAnswerSettingView } from './dto/identifier-check.dto';
import { IdentifierCheckStore } from './identifier-check.store';

/** A country's admin decides, per framework, whether partners' checks are answered automatically. */
@Injectable()
export class AutoAnswerSettingsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get store() {
    return new IdentifierCheckStore(this.tx.manager);
  }

  async list(ctx: RequestContext): Promise<AutoAnswerSettingView[]> {
    const rows = await this.store.settings(actorOf(ctx).countryCode!, this.clock.today());
    return rows.map((r) => ({
      frameworkId: r.framework_id,
      frameworkName: r.name,
      autoAnswer: r.auto_answer,
    }));
  }

  /** Only for a framework in force that the admin's country is a member of; any other reads as absent. */
  set(ctx: RequestContext, frameworkId: string, dto: AutoAnswerSettingDto): Promise<AutoAnswerSettingView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const framework = (await this.store.settings(actor.countryCode!, this.clock.today())).find(
        (r) => r.framework_id === frameworkId,
      );
      if (!framework) throw new NotFoundError('The framework');
      const before = await this.store.setAutoAnswer(
        actor.countryCode!,
        frameworkId,
        dto.autoAnswer,
        actor.userId,
      );
      await this.audit.record(ctx, {
        action: 'identifier_check.settings.change',
        recordType: 'framework',
        recordId: frameworkId,
        ownerCountry: actor.countryCode,
        before: { autoAnswer: before ?? true },
        after: { autoAnswer: dto.autoAnswer },
      });
      return { frameworkId, frameworkName: framework.name, autoAnswer: dto.autoAnswer };
    });
  }
}
