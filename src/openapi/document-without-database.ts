import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { applyRouting } from '../app.factory';
import { AppConfigModule } from '../config/config.module';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The OpenAPI document without a running app: Nest's preview mode reads the routes and their metadata
 * without creating any provider, so no database is opened (CI lints the document this way).
 */
export async function openApiDocumentWithoutDatabase(): Promise<OpenAPIObject> {
  @Module({ imports: [AppConfigModule.forRoot(), AppModule] })
  class PreviewModule {}
  const app = await NestFactory.create<NestFastifyApplication>(PreviewModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  applyRouting(app);
  return buildOpenApiDocument(app);
}
