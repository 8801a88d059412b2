import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { levels } from 'pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config.service';

/** Structured JSON logs; credentials and tokens are redacted wherever they appear. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL'),
          // The line per answered request is written at info: below that level (production runs at
          // warn) its per-request work (listeners, bindings, a child logger) would be thrown away.
          autoLogging: levels.values[config.get('LOG_LEVEL')] <= levels.values.info,
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
          customProps: (req: IncomingMessage) => {
            const user = (req as IncomingMessage & { user?: { id?: string } }).user;
            return user?.id ? { userId: user.id } : {};
          },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["idempotency-key"]',
              '*.password',
              '*.refreshToken',
              '*.accessToken',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
