import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { describeAttachmentStorage } from '../../../test/support/attachment-storage.contract';
import { S3AttachmentStorage } from './s3-attachment-storage';
import { LocalS3, startLocalS3 } from '../../../test/support/local-s3';

let s3: LocalS3;
const drivers: S3AttachmentStorage[] = [];
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  for (const d of drivers) d.destroy();
  await s3.stop();
});

describeAttachmentStorage('S3 driver against a local S3-compatible server (s3rver)', async () => {
  // A fresh bucket per test: the contract expects an empty store.
  const bucket = `evidence-${randomUUID().slice(0, 8)}`;
  await s3.createBucket(bucket);
  const storage = new S3AttachmentStorage({ ...s3.settings, bucket });
  drivers.push(storage);
  const raw = new S3Client({ ...s3.clientConfig });
  return {
    storage,
    overwrite: async (key, bytes) => {
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
      raw.destroy();
    },
  };
});
