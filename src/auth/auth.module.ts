import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessModule } from '../access/access.module';
import { AppConfig } from '../config/app-config.service';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { CredentialsService } from './credentials.service';
import { FailedSignInThrottle } from './failed-sign-in-throttle.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { MfaCodesService } from './mfa/mfa-codes.service';
import { MfaEnrolmentPassService } from './mfa/mfa-enrolment-pass.service';
import { MfaKeyCheck } from './mfa/mfa-key-check';
import { MfaController } from './mfa/mfa.controller';
import { MfaPolicy } from './mfa/mfa-policy';
import { MfaResetController } from './mfa/mfa-reset.controller';
import { MFA_SECRET_BOX, MfaSecretBox } from './mfa/mfa-secret-box';
import { MfaService } from './mfa/mfa.service';
import { MfaStore } from './mfa/mfa.store';
import type { KeyObject } from 'node:crypto';
import { JWT_KEY, jwtKeyProvider } from './jwt-key.provider';
import { LoginThrottleModule } from './throttler/login-throttle.module';
import { LoginThrottleStorage } from './throttler/login-throttle.storage';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';

@Module({
  imports: [
    PassportModule,
    JwtModule.register({}),
    UsersModule,
    AccessModule,
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
  controllers: [AuthController, MfaController, MfaResetController],
  providers: [
    AuthService,
    CredentialsService,
    FailedSignInThrottle,
    jwtKeyProvider,
    JwtStrategy,
    LocalStrategy,
    LoginThrottlerGuard,
    MfaCodesService,
    MfaEnrolmentPassService,
    MfaKeyCheck,
    MfaPolicy,
    MfaService,
    MfaStore,
    {
      provide: MFA_SECRET_BOX,
      inject: [AppConfig, JWT_KEY],
      useFactory: (config: AppConfig, jwtKey: KeyObject) =>
        MfaSecretBox.fromConfig(config.get('MFA_ENCRYPTION_KEY'), jwtKey),
    },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
})
export class AuthModule {}
