import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAttachmentStorage } from '../../../test/support/attachment-storage.contract';
import { FsAttachmentStorage } from './fs-attachment-storage';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describeAttachmentStorage('filesystem driver on a temporary directory', async () => {
  const root = await mkdtemp(join(tmpdir(), 'attachments-fs-'));
  dirs.push(root);
  return {
    storage: new FsAttachmentStorage(root),
    overwrite: (key, bytes) => writeFile(join(root, ...key.split('/')), bytes),
  };
});
