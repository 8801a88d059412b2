import 'reflect-metadata';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config.service';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen({ port: config.get('PORT'), host: config.get('HOST') });
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration), so say it plainly on stderr.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
