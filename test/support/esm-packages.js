// Packages that ship ES modules only (NestJS 12, any-ascii, otplib's @scure/base and @noble/hashes, …): @swc/jest transforms them inside node_modules.
module.exports = [
  '@nestjs',
  'nestjs-pino',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'load-esm',
  'content-disposition',
  'any-ascii',
  '@borewit',
  '@scure',
  '@noble',
  '@otplib',
];
