// npm run seed:demo — adds the demo countries, agencies, frameworks and accounts to an empty database.
import 'reflect-metadata';
import { DemoSeedService } from '../seed/demo-seed.service';
import { runCli } from './app-context';

runCli(async (app) => ((await app.get(DemoSeedService).seed()) ? 0 : 1));
