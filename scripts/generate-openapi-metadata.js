// Generates src/openapi-metadata.ts: the OpenAPI shapes of DTOs and responses read from their TypeScript
// types by the @nestjs/swagger CLI plugin. Both the tsc build and the swc-based tests load this file,
// so the documented API is the same wherever the app runs.
const { PluginMetadataGenerator } = require('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js');
const { ReadonlyVisitor } = require('@nestjs/swagger/plugin');

const fs = require('node:fs');
const target = `${__dirname}/../src/openapi-metadata.ts`;
// The app imports the file, so the type check that precedes generation needs it to exist already.
if (!fs.existsSync(target)) fs.writeFileSync(target, 'export default async () => ({});\n');

new PluginMetadataGenerator().generate({
  visitors: [
    new ReadonlyVisitor({
      introspectComments: true,
      classValidatorShim: true,
      dtoFileNameSuffix: ['.dto.ts'],
      pathToSource: `${__dirname}/../src`,
    }),
  ],
  outputDir: `${__dirname}/../src`,
  filename: 'openapi-metadata.ts',
  tsconfigPath: 'tsconfig.build.json',
  printDiagnostics: false,
});
