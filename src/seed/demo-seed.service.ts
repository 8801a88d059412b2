import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { isEmpty, seedDemoData } from './demo-seeder';

/**
 * Seeds the demo world on the first start of an empty embedded database, and for `npm run seed:demo`.
 * The shared demo password is DEMO_PASSWORD, or generated and printed once here, never logged.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (
      !this.config.usesEmbeddedDatabase ||
      !this.config.get('SEED_DEMO_ON_EMPTY') ||
      this.config.isProduction
    )
      return;
    if (!this.dataSource.isInitialized || !(await isEmpty(this.dataSource.manager))) return;
    await this.seed();
  }

  /** Returns false when the database already has accounts (seeding twice would clash). */
  async seed(): Promise<boolean> {
    if (this.config.isProduction) throw new Error('Demo data cannot be seeded with NODE_ENV=production.');
    const given = this.config.get('DEMO_PASSWORD');
    const password = given ?? randomBytes(12).toString('base64url');
    const seeded = await this.dataSource.transaction(async (manager) => {
      if (!(await isEmpty(manager))) return null;
      return seedDemoData(manager, password);
    });
    if (!seeded) {
      this.logger.warn('The database already has accounts; demo data not added.');
      return false;
    }
    this.logger.log(
      `Demo data seeded: ${seeded.users} accounts (kr.officer, kh.liaison, my.auditor, platform.admin, ...)`,
    );
    // Printed, not logged: the password must not end up in log storage.
    process.stdout.write(
      given
        ? 'Demo accounts use the password from DEMO_PASSWORD.\n'
        : `\n  Demo accounts share this password (shown once): ${password}\n\n`,
    );
    return true;
  }
}
