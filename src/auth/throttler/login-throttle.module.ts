import { Module } from '@nestjs/common';
import { LoginThrottleSweepService } from './login-throttle-sweep.service';
import { LoginThrottleStorage } from './login-throttle.storage';

/** The sign-in counters' storage, imported by ThrottlerModule's factory (which sees only its imports). */
@Module({
  providers: [LoginThrottleStorage, LoginThrottleSweepService],
  exports: [LoginThrottleStorage],
})
export class LoginThrottleModule {}
