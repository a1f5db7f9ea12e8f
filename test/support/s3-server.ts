import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver knows this one access key id and checks no signature; the SDK signs every request with some key. */
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3Server {
  url: string;
  bucket: string;
  /** The environment that points MEDIA_STORE=s3 at this server. */
  env: Record<string, string>;
  /** Stops listening (the objects are kept: `start` again serves them on the same port). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Every key in the bucket, sorted (asked over S3, as any client would). */
  keys(): Promise<string[]>;
  /** The bytes of object `key`. */
  read(key: string): Promise<Buffer>;
}

/**
 * An S3-compatible server (s3rver) on 127.0.0.1 at a free port, with one empty bucket, its objects in a
 * temporary directory. It models no checksums, no lifecycle rules, no versioning and no virtual-host
 * buckets (path style only), and accepts any signature for its one key.
 */
export async function startS3Server(bucket = 'media'): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  let port = 0;
  let server: S3rver | null = null;
  const start = async () => {
    server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: bucket }] });
    port = (await server.run()).port;
  };
  const stop = async () => {
    await server?.close();
    server = null;
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, credentials: S3_CREDENTIALS });
  return {
    url,
    bucket,
    env: {
      MEDIA_STORE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: url,
      S3_FORCE_PATH_STYLE: '1',
      S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    },
    stop,
    start,
    close: async () => {
      client.destroy();
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
    async keys() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    async read(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers: a bucket that hangs. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => server.close(closed));
    },
  };
}
