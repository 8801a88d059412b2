import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfigModule } from '../config/config.module';

/** The application without its HTTP server, for command-line tasks. */
export async function createCliContext(): Promise<INestApplicationContext> {
  @Module({ imports: [AppConfigModule.forRoot(), AppModule] })
  class CliModule {}
  return NestFactory.createApplicationContext(CliModule, {
    logger: ['error', 'warn', 'log'],
    abortOnError: false,
  });
}

export function runCli(task: (app: INestApplicationContext) => Promise<number>): void {
  process.env.SEED_DEMO_ON_EMPTY = 'false';
  createCliContext()
    .then(async (app) => {
      const code = await task(app).catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
      });
      await app.close();
      process.exit(code);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
