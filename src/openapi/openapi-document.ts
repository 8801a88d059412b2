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
  await SwaggerModule.loadPluginMetadata(openApiMetadata);
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
