import { Module } from '@nestjs/common';
import { LoginThrottleSweepService } from './login-throttle-sweep.service';
import { LoginThrottleStorage } from './login-throttle.storage';
import { JobsModule } from '../../jobs/jobs.module';

/** The sign-in counters' storage, imported by ThrottlerModule's factory (which sees only its imports). */
@Module({
  imports: [JobsModule],
  providers: [LoginThrottleStorage, LoginThrottleSweepService],
  exports: [LoginThrottleStorage],
})
export class LoginThrottleModule {}
