import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.service';
import { validateEnvironment } from './environment';

@Module({})
export class AppConfigModule {
  /**
   * Reads and validates the environment when the app is built, not when this file is imported, so a
   * process that sets its environment first (tests, CLI commands) gets what it set.
   */
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ validate: validateEnvironment, cache: false, ignoreEnvFile: false })],
      providers: [AppConfig],
      exports: [AppConfig],
    };
  }
}
