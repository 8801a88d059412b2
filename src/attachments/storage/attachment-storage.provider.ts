import type { Provider } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { AppConfig } from '../../config/app-config.service';
import { AttachmentStorage } from './attachment-storage';
import { FsAttachmentStorage } from './fs-attachment-storage';

/**
 * The driver `ATTACHMENT_STORAGE` names; the rest of the module sees only `AttachmentStorage`. The AWS
 * SDK (~20 MB resident) is loaded only when S3 is the driver.
 */
export const attachmentStorageProvider: Provider = {
  provide: AttachmentStorage,
  inject: [AppConfig],
  useFactory: async (config: AppConfig): Promise<AttachmentStorage> =>
    config.get('ATTACHMENT_STORAGE') === 's3'
      ? new (await import('./s3-attachment-storage.js')).S3AttachmentStorage({
          bucket: config.get('S3_BUCKET')!,
          region: config.get('S3_REGION'),
          endpoint: config.get('S3_ENDPOINT'),
          accessKeyId: config.get('S3_ACCESS_KEY_ID'),
          secretAccessKey: config.get('S3_SECRET_ACCESS_KEY'),
          forcePathStyle: config.get('S3_FORCE_PATH_STYLE'),
        })
      : new FsAttachmentStorage(join(resolve(config.get('DATA_DIR')), 'attachments')),
};
