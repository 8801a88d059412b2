import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config.service';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { CredentialsService } from './credentials.service';
import { FailedSignInThrottle } from './failed-sign-in-throttle.service';
import { jwtKeyProvider } from './jwt-key.provider';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { LoginThrottleModule } from './throttler/login-throttle.module';
import { LoginThrottleStorage } from './throttler/login-throttle.storage';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';

@Module({
  imports: [
    PassportModule,
    JwtModule.register({}),
    UsersModule,
    LoginThrottleModule,
    ThrottlerModule.forRootAsync({
      imports: [LoginThrottleModule],
      inject: [AppConfig, LoginThrottleStorage],
      useFactory: (config: AppConfig, storage: LoginThrottleStorage) => ({
        storage,
        // No X-RateLimit-* headers: a 429 carries Retry-After (TooManyRequestsError), and counters shown
        // on every answer would tell a caller more than its own attempts.
        setHeaders: false,
        // Every attempt from the caller's own address. The per-username limit counts failed attempts
        // only and lives in FailedSignInThrottle (a guard counts before the password is checked).
        throttlers: [
          { name: 'login-address', ttl: 60_000, limit: config.get('LOGIN_RATE_LIMIT_PER_ADDRESS') },
        ],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    CredentialsService,
    FailedSignInThrottle,
    jwtKeyProvider,
    JwtStrategy,
    LocalStrategy,
    LoginThrottlerGuard,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
})
export class AuthModule {}
