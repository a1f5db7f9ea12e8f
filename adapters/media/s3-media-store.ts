import type { Readable } from 'node:stream';
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import {
  contentTypeOfName,
  MEDIA_NAME,
  mediaName,
  type ImageExtension,
  type MediaStore,
  type StoredFile,
} from '../../core/images/index.js';
import { errors } from '../../core/shared/index.js';

export interface S3MediaStoreOptions {
  bucket: string;
  region: string;
  /** Null: AWS's own endpoint for the region. */
  endpoint: string | null;
  forcePathStyle: boolean;
  /** What every key starts with (ends in `/`). */
  prefix: string;
  /** Null: the AWS SDK's default credential chain (environment, profile, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Null: no direct URL, /media streams the object. */
  publicBaseUrl: string | null;
  /** A bucket that has not answered a call within this is unavailable. */
  timeoutMs: number;
}

/** The objects are as immutable as their names (content hashes): a public URL may be cached for good. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * What the bucket says of an object without reading it (HeadObject): its size, the SHA-256 that `save`
 * wrote into its metadata (null for an object written by something else) and its ETag when that is the
 * MD5 of its bytes (null when it is not an MD5: multipart uploads, SSE-KMS on AWS).
 */
export interface StoredObject {
  size: number;
  sha256: string | null;
  md5: string | null;
}

type Sdk = typeof import('@aws-sdk/client-s3');

/**
 * Files as objects of an S3-compatible bucket, keyed by `prefix` + the SHA-256 of their bytes and the
 * extension; their URLs are the disk store's (`<urlPath>/<name>`), so rows do not depend on the store.
 * A PutObject is atomic (the object is there whole or not at all), and callers write the row only
 * after `save` resolved. Every call is bounded by `timeoutMs` (connection, answer, then an idle body);
 * any failure of the bucket but a missing key is logged once and rejects with `media_store_unavailable`.
 * The SDK is loaded on first use (~180 ms of a start that MEDIA_STORE=disk need not pay).
 */
export class S3MediaStore implements MediaStore {
  private sdk: Promise<{ s3: Sdk; client: S3Client }> | null = null;

  constructor(
    private readonly options: S3MediaStoreOptions,
    private readonly urlPath: string,
    private readonly logger: Logger,
  ) {}

  private loaded(): Promise<{ s3: Sdk; client: S3Client }> {
    this.sdk ??= import('@aws-sdk/client-s3').then((s3) => {
      const { region, endpoint, forcePathStyle, credentials, timeoutMs } = this.options;
      const client = new s3.S3Client({
        region,
        ...(endpoint === null ? {} : { endpoint }),
        forcePathStyle,
        ...(credentials === null ? {} : { credentials }),
        // Stores without CRC32 checksums (R2, older MinIO) refuse what the SDK would add by default.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true, socketTimeout: timeoutMs },
      });
      return { s3, client };
    });
    return this.sdk;
  }

  async save(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
    const name = mediaName(bytes, extension);
    const { s3, client } = await this.loaded();
    const command = new s3.PutObjectCommand({
      Bucket: this.options.bucket,
      Key: this.keyOf(name),
      Body: bytes,
      ContentLength: bytes.length,
      ContentType: contentTypeOfName(name)!,
      CacheControl: CACHE_CONTROL,
      // `x-amz-meta-sha256`: the hash of the bytes, stored with them in the same atomic PutObject, so that
      // `npm run media:migrate` can tell an object holds these bytes on any store (checksums vary by store).
      Metadata: { sha256: name.slice(0, name.indexOf('.')) },
    });
    await this.call('save', name, (abortSignal) => client.send(command, { abortSignal }));
    return `${this.urlPath}/${name}`;
  }

  /** The object at `url` as HeadObject describes it; null when the URL is not a media name or there is no such key. */
  async stat(url: string): Promise<StoredObject | null> {
    const name = this.storedName(url);
    if (name === null) return null;
    const { s3, client } = await this.loaded();
    const command = new s3.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(name) });
    const head = await this.call('stat', name, (abortSignal) =>
      client.send(command, { abortSignal }).catch((error: unknown) => {
        // A HEAD's 404 has no body to name NoSuchKey: the SDK calls it NotFound.
        if (error instanceof s3.NotFound) return null;
        throw error;
      }),
    );
    if (head === null) return null;
    const etag = /^"?([0-9a-f]{32})"?$/i.exec(head.ETag ?? '')?.[1];
    return { size: head.ContentLength ?? 0, sha256: head.Metadata?.sha256 ?? null, md5: etag?.toLowerCase() ?? null };
  }

  async read(url: string): Promise<Buffer | null> {
    const object = await this.get('read', url);
    if (object === null) return null;
    const name = this.storedName(url)!;
    return this.call('read', name, async () => Buffer.from(await object.Body!.transformToByteArray()));
  }

  async open(url: string): Promise<StoredFile | null> {
    const object = await this.get('open', url);
    if (object === null) return null;
    const name = this.storedName(url)!;
    return {
      body: object.Body as Readable,
      contentType: contentTypeOfName(name)!,
      size: object.ContentLength ?? 0,
      modified: object.LastModified ?? new Date(0),
    };
  }

  directUrl(url: string): string | null {
    const name = this.storedName(url);
    const base = this.options.publicBaseUrl;
    return name === null || base === null ? null : `${base}/${this.keyOf(name)}`;
  }

  /**
   * A GET URL of the object signed for `seconds` (what Meta will fetch when publishing from the bucket);
   * null for a URL that is not a media name. Signing is local: the bucket is not asked.
   */
  async presignedUrl(url: string, seconds: number): Promise<string | null> {
    const name = this.storedName(url);
    if (name === null) return null;
    const [{ s3, client }, { getSignedUrl }] = await Promise.all([this.loaded(), import('@aws-sdk/s3-request-presigner')]);
    return getSignedUrl(client, new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(name) }), { expiresIn: seconds });
  }

  async remove(url: string): Promise<void> {
    const name = this.storedName(url);
    if (name === null) return;
    const { s3, client } = await this.loaded();
    const command = new s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(name) });
    await this.call('remove', name, (abortSignal) => client.send(command, { abortSignal }));
  }

  /**
   * Resolves when the bucket answers a HeadBucket within timeoutMs (what /health/ready asks, through a
   * cache: composition/features/images); rejects with `media_store_unavailable` otherwise, logged as any call.
   */
  async ping(): Promise<void> {
    const { s3, client } = await this.loaded();
    const command = new s3.HeadBucketCommand({ Bucket: this.options.bucket });
    await this.call('ping', null, (abortSignal) => client.send(command, { abortSignal }));
  }

  /** The object at `url` with its body still to read; null when the URL is not a media name or there is no such key. */
  private async get(operation: string, url: string): Promise<GetObjectCommandOutput | null> {
    const name = this.storedName(url);
    if (name === null) return null;
    const { s3, client } = await this.loaded();
    const command = new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(name) });
    return this.call(operation, name, (abortSignal) =>
      client.send(command, { abortSignal }).catch((error: unknown) => {
        if (isMissingKey(s3, error)) return null;
        throw error;
      }),
    );
  }

  /**
   * Runs one call of the bucket within timeoutMs (the SDK's retries included); the timer stops once it
   * resolved, so a body being streamed is bounded by the socket's idle timeout instead.
   */
  private async call<T>(operation: string, name: string | null, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    try {
      return await work(abort.signal);
    } catch (error) {
      this.logger.warn(
        {
          operation,
          bucket: this.options.bucket,
          ...(name === null ? {} : { key: this.keyOf(name) }),
          reason: reasonOf(error, abort.signal.aborted),
        },
        'media store unavailable',
      );
      throw errors.mediaStoreUnavailable();
    } finally {
      clearTimeout(timer);
    }
  }

  private keyOf(name: string): string {
    return `${this.options.prefix}${name}`;
  }

  /** Only a name `save` makes becomes a key: any other URL is nobody's object. */
  private storedName(url: string): string | null {
    const name = url.startsWith(`${this.urlPath}/`) ? url.slice(this.urlPath.length + 1) : '';
    return MEDIA_NAME.test(name) ? name : null;
  }
}

/** NoSuchKey (GetObject's answer); a 404 that names no key (NoSuchBucket) is a bucket that is not there. */
function isMissingKey(s3: Sdk, error: unknown): boolean {
  return error instanceof s3.NoSuchKey;
}

/** What the log line says went wrong: S3's error code and status, else the network error; never a credential. */
function reasonOf(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'timed out';
  const { name, code, message, $metadata } = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if ($metadata?.httpStatusCode !== undefined) return `${name} (HTTP ${$metadata.httpStatusCode})`;
  return [name, code, message].filter(Boolean).join(': ') || String(error);
}
