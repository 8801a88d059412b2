import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { loadJwtKey } from './jwt-key';

export const JWT_KEY = Symbol('JWT_KEY');

export const jwtKeyProvider: Provider = {
  provide: JWT_KEY,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => loadJwtKey(config.get('JWT_SECRET'), config.get('DATA_DIR')),
};
