// Used by the TypeORM CLI (`npm run migration:*`). Needs MIGRATION_DATABASE_URL (the role that owns the
// tables) or else DATABASE_URL: the CLI works on real PostgreSQL; the embedded database migrates itself
// at start-up.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './database-options';

const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
if (!url)
  throw new Error('Set MIGRATION_DATABASE_URL or DATABASE_URL to run migrations from the command line.');

export default new DataSource({
  ...dataSourceOptions({ url, poolSize: 2 }),
  entities: [`${__dirname}/../**/*.entity.{ts,js}`],
});
