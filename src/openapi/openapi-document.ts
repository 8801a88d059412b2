import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  PROBLEM_DETAILS_SCHEMA,
  PROBLEM_DETAILS_SCHEMA_NAME,
  PROBLEM_RESPONSES,
} from '../common/errors/problem-details.schema';
import openApiMetadata from '../openapi-metadata';

/** The OpenAPI document of the app's routes, as served at /api/docs-json and linted in CI. */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  return (await openApiDocumentFactory(app))();
}

/**
 * Loads the DTOs' schema metadata now and returns what builds the document, so a server can build it
 * on the first request for the docs instead of at start-up (README "Memory": a server whose docs are
 * never read does not keep the document).
 */
export async function openApiDocumentFactory(app: INestApplication): Promise<() => OpenAPIObject> {
  await SwaggerModule.loadPluginMetadata(openApiMetadata);
  return () => createOpenApiDocument(app);
}

function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Task Force Case Desk')
    .setDescription('Case management for joint police task forces against cross-border online-scam networks.')
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'A 15-minute HS256 access token from /auth/login. Tokens follow the JWT best practices of ' +
        'RFC8725: the algorithm is fixed by the server (never taken from the token), "none" is refused, ' +
        'and the user is looked up again on every request.',
    })
    .addGlobalResponse(...PROBLEM_RESPONSES)
    .build();
  config.components = {
    ...config.components,
    schemas: { ...config.components?.schemas, [PROBLEM_DETAILS_SCHEMA_NAME]: PROBLEM_DETAILS_SCHEMA },
  };
  return SwaggerModule.createDocument(app, config);
}
