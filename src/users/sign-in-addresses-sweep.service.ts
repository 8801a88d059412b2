import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import { JobsService } from '../jobs/jobs.service';
import { SignInAddressesStore } from './sign-in-addresses.store';

export const SIGN_IN_ADDRESS_SWEEP = 'sign-in-address-sweep';

/**
 * Once an hour, one instance forgets the sign-in addresses that no longer count (SignInAddressesStore.
 * sweep). No audit event: the rows were already ignored by every rule, so nothing anyone may do changes,
 * as with the expired sign-in counters (LoginThrottleSweepService).
 */
@Injectable()
export class SignInAddressesSweepService implements OnModuleInit {
  private readonly logger = new Logger('SignInAddresses');

  constructor(
    private readonly jobs: JobsService,
    private readonly tx: TransactionService,
    private readonly addresses: SignInAddressesStore,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      name: SIGN_IN_ADDRESS_SWEEP,
      cron: '23 * * * *',
      handler: async () => void (await this.sweep()),
    });
  }

  /** How many addresses were forgotten. */
  async sweep(): Promise<number> {
    const deleted = await this.tx.run(() => this.addresses.sweep(this.clock.now()));
    if (deleted) this.logger.debug({ deleted }, 'stale sign-in addresses forgotten');
    return deleted;
  }
}
