import helmet from '@fastify/helmet';
import { DynamicModule, Module, Type, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { registerArrestBodies } from './arrests/arrest-bodies';
import {
  answerWhatNodeAnswered,
  hostProblems,
  problemOnClientError,
  requestTargetProblems,
} from './common/http/client-error';
import { ValidationFailedError } from './common/errors/domain-errors';
import { registerUtf8JsonBodies } from './common/http/utf8-json-body';
import { registerAttachmentBodies } from './attachments/attachment-bodies';
import { badUrlProblem, InputGuard } from './common/http/input-guard';
import { createValidationPipe } from './common/http/validation';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { AppConfig } from './config/app-config.service';
import { AppConfigModule } from './config/config.module';
import { openApiDocumentFactory } from './openapi/openapi-document';
import { trustedProxies, validateEnvironment } from './config/environment';

export const API_PREFIX = 'api';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/**
 * Builds the HTTP application exactly as production runs it; `main.ts` and the end-to-end tests both
 * call this, so the tests exercise the real headers, limits, pipes and filters.
 */
export interface CreateAppOptions {
  /** false silences the logger (tests). */
  logs?: boolean;
  /** Extra modules mounted beside the app (tests add fault-injection routes this way). */
  imports?: Array<Type | DynamicModule>;
}

export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  // Read once here for the adapter settings that must exist before Nest boots; Nest validates again.
  const env = validateEnvironment(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    requestIdHeader: false,
    frameworkErrors: badUrlProblem,
    clientErrorHandler: problemOnClientError,
    // Node's own refusal of an HTTP/1.1 request without Host is an empty 400: `hostProblems` answers it.
    http: { requireHostHeader: false },
    // X-Forwarded-For is believed only from the configured proxies (none by default), so a client
    // cannot pick the address the sign-in limits count and the audit trail records.
    trustProxy: trustedProxies(env.TRUSTED_PROXIES).length > 0 ? trustedProxies(env.TRUSTED_PROXIES) : false,
  });
  @Module({ imports: [AppConfigModule.forRoot(), AppModule, ...(options.imports ?? [])] })
  class RootModule {}
  const app = await NestFactory.create<NestFastifyApplication>(RootModule, adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser only: Nest would add a urlencoded one, and this API reads JSON alone.
    bodyParser: false,
    abortOnError: false,
    logger: options.logs === false ? false : undefined,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);

  await app.register(helmet, { contentSecurityPolicy: false });
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: without this Fastify would accept text/plain bodies; now they answer 415.
  fastify.removeContentTypeParser(['text/plain']);
  // UTF-8 only: a body in another encoding is refused, not read with replacement characters.
  registerUtf8JsonBodies(fastify, {
    idleMs: config.get('UPLOAD_IDLE_TIMEOUT_MS'),
    totalMs: config.get('UPLOAD_TOTAL_TIMEOUT_MS'),
  });
  // Except the arrest import, which streams text/csv, and the raid batch's larger JSON body.
  registerArrestBodies(fastify);
  // And the attachment uploads, which stream a raw application/octet-stream body.
  registerAttachmentBodies(fastify);
  answerWhatNodeAnswered(app.getHttpServer());
  // Before authentication and the handler: a request whose Host is missing, repeated or no host, or whose
  // target holds a fragment, is refused.
  fastify.addHook('onRequest', async (request) => {
    const problems = hostProblems(request.raw);
    if (problems.length > 0)
      throw new ValidationFailedError(problems, 'The Host header is missing, given twice or names no host.');
    const target = requestTargetProblems(request.raw);
    if (target.length > 0)
      throw new ValidationFailedError(
        target,
        'The request target holds a fragment (#), which is never sent.',
      );
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.removeHeader('x-powered-by');
    // Answers carry case content and secrets shown once (tokens, an enrolment pass, recovery codes, a
    // TOTP secret): no browser or proxy cache keeps them (probe r52). A route that says otherwise keeps its own.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  const origins = config
    .get('CORS_ORIGINS')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0)
    app.enableCors({ origin: origins, exposedHeaders: ['X-Request-Id', 'Retry-After'] });

  applyRouting(app);
  // Before the module guards (authentication, throttling): see InputGuard.
  app.useGlobalGuards(new InputGuard());
  app.useGlobalPipes(createValidationPipe());
  // After a signal's graceful shutdown, exit 0 rather than re-raise the signal (Nest's default): whether a
  // re-raised SIGTERM then ended the process depended on whether some library still listened for it, so
  // a stop sometimes ended by the signal and sometimes left the process waiting (the embedded-database
  // spec's rare failure).
  app.enableShutdownHooks([], { useProcessExit: true });

  if (config.get('OPENAPI_ENABLED')) await mountOpenApi(app);
  return app;
}

/** The paths every route is served under; the OpenAPI export applies the same. */
export function applyRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX);
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
}

/**
 * The document is built on the first request for it (Swagger keeps it from then on), not at start-up:
 * it and the work of building it are ~5 MB of heap an idle server would otherwise hold for nothing
 * (bench/README "Session 9: embedded idle"). CI builds and lints the same document (lint:openapi).
 */
async function mountOpenApi(app: NestFastifyApplication): Promise<void> {
  const buildDocument = await openApiDocumentFactory(app);
  SwaggerModule.setup('api/docs', app, buildDocument, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
}
