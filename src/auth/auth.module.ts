import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.service';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { CredentialsService } from './credentials.service';
import { jwtKeyProvider } from './jwt-key.provider';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { LoginThrottleModule } from './throttler/login-throttle.module';
import { LoginThrottleStorage } from './throttler/login-throttle.storage';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';

/** The login throttler has already validated and normalised the username (see LoginThrottlerGuard). */
const usernameOf = (req: Record<string, unknown>) => {
  const body = (req as unknown as FastifyRequest).body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? `user:${body.username}` : `ip:${String(req.ip)}`;
};

@Module({
  imports: [
    PassportModule,
    JwtModule.register({}),
    UsersModule,
    ThrottlerModule.forRootAsync({
      imports: [LoginThrottleModule],
      inject: [AppConfig, LoginThrottleStorage],
      useFactory: (config: AppConfig, storage: LoginThrottleStorage) => ({
        storage,
        throttlers: [
          { name: 'login-address', ttl: 60_000, limit: config.get('LOGIN_RATE_LIMIT_PER_ADDRESS') },
          {
            name: 'login-username',
            ttl: 60_000,
            limit: config.get('LOGIN_RATE_LIMIT_PER_USERNAME'),
            getTracker: usernameOf,
          },
        ],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    CredentialsService,
    jwtKeyProvider,
    JwtStrategy,
    LocalStrategy,
    LoginThrottlerGuard,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
})
export class AuthModule {}
