// Generates src/openapi-metadata.ts: the OpenAPI shapes of DTOs and responses read from their TypeScript
// types by the @nestjs/swagger CLI plugin. Both the tsc build and the swc-based tests load this file,
// so the documented API is the same wherever the app runs.
//
// Generating it builds a whole TypeScript program (~15 s), and lint, build and test each ask for it, so
// the file's first line records a hash of what it was generated from (every other .ts file of src/, the
// tsconfigs, the lockfile); when nothing of that changed, the file is left as it is.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const target = path.join(root, 'src', 'openapi-metadata.ts');

function sourcesOf(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesOf(full);
    return entry.name.endsWith('.ts') && full !== target ? [full] : [];
  });
}

function inputsHash() {
  const hash = createHash('sha256');
  const files = [
    ...sourcesOf(path.join(root, 'src')),
    'tsconfig.json',
    'tsconfig.build.json',
    'package-lock.json',
  ]
    .map((file) => path.resolve(root, file))
    .sort();
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const stamp = `// openapi-metadata inputs: ${inputsHash()}\n`;
if (fs.existsSync(target) && fs.readFileSync(target, 'utf8').startsWith(stamp)) process.exit(0);

// The app imports the file, so the type check that precedes generation needs it to exist already.
if (!fs.existsSync(target)) fs.writeFileSync(target, 'export default async () => ({});\n');

const { PluginMetadataGenerator } = require('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js');
const { ReadonlyVisitor } = require('@nestjs/swagger/plugin');

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
fs.writeFileSync(target, stamp + fs.readFileSync(target, 'utf8'));
