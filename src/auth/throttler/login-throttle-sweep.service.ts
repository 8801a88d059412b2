import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../../jobs/jobs.service';
import { LoginThrottleStorage } from './login-throttle.storage';

/**
 * Counters in PostgreSQL outlive their window (a key never tried again keeps its row); once a minute one
 * instance deletes those whose window and block are over. Redis expires its own keys, memory sweeps itself.
 */
@Injectable()
export class LoginThrottleSweepService implements OnModuleInit {
  private readonly logger = new Logger('LoginThrottle');

  constructor(
    private readonly jobs: JobsService,
    private readonly storage: LoginThrottleStorage,
  ) {}

  onModuleInit(): void {
    const postgres = this.storage.postgres;
    if (!postgres) return;
    this.jobs.define({
      name: 'login-throttle-sweep',
      cron: '* * * * *',
      handler: async () => {
        const deleted = await postgres.sweep();
        if (deleted) this.logger.debug({ deleted }, 'expired sign-in counters swept');
      },
    });
  }
}
