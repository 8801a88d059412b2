import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { ProvenanceStore } from './provenance.store';
import { NoActiveFrameworkError, noFramework } from './release-refused.error';

/** Whether a cooperation framework joins two countries today, as the release rule asks it. */
@Injectable()
export class CooperationService {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
  ) {}

  private get store() {
    return new ProvenanceStore(this.tx.manager);
  }

  /** A new share needs a framework joining the two countries today: else 400 on `countryCode`. */
  async requireActiveFramework(from: string, to: string): Promise<void> {
    if (!(await this.store.hasActiveFramework(from, to, this.clock.today()))) throw noFramework(from, to);
  }

  /**
   * Anything new that leaves to a country needs a framework joining it to the holder today, also
   * through a share or request made while one did (a share is checked when made, and frameworks end).
   */
  async requireCooperation(holder: string, recipient: string): Promise<void> {
    if (!(await this.cooperates(holder, recipient))) throw new NoActiveFrameworkError(holder, recipient);
  }

  /** Whether an active framework joins the two countries today. */
  cooperates(a: string, b: string): Promise<boolean> {
    return this.store.hasActiveFramework(a, b, this.clock.today());
  }
}
