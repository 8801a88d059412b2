import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AttachmentStorage,
  ByteRange,
  contentKey,
  TEMPORARY_PREFIX,
  TemporaryObject,
} from './attachment-storage';

export interface S3StorageSettings {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * S3-compatible object storage (AWS, MinIO). Uploads stream as multipart uploads of 8 MB parts, so
 * memory holds a few parts, never the file; the move under the content address is a server-side copy.
 */
export class S3AttachmentStorage extends AttachmentStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3StorageSettings) {
    super();
    this.bucket = settings.bucket;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
    });
  }

  async writeTemporary(source: Readable): Promise<TemporaryObject> {
    const key = `${TEMPORARY_PREFIX}${randomUUID()}`;
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: source },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      // A failed stream aborts the multipart upload: no parts stay behind.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      await this.discard({ key });
      throw error;
    }
    return { key };
  }

  async commit(temporary: TemporaryObject, sha256: string): Promise<{ created: boolean }> {
    const target = contentKey(sha256);
    try {
      if ((await this.sizeOf(sha256)) !== null) return { created: false };
      // Two uploads of the same bytes racing here copy the same bytes: the later copy changes nothing.
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: target,
          CopySource: `${this.bucket}/${temporary.key}`,
        }),
      );
      return { created: true };
    } finally {
      await this.discard(temporary);
    }
  }

  async discard(temporary: TemporaryObject): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temporary.key }));
  }

  async sizeOf(sha256: string): Promise<number | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: contentKey(sha256) }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const object = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: contentKey(sha256),
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    const body = object.Body;
    if (body instanceof Readable) return body;
    throw new Error('the S3 client returned a body that is not a Node stream');
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: contentKey(sha256) }));
  }

  async listKeys(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** For tests and start-up checks. */
  destroy(): void {
    this.client.destroy();
  }
}
