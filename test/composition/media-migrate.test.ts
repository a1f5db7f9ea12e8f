import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3_CREDENTIALS, startS3Server, type S3Server } from '../support/s3-server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const ENTRY = ['--import', 'tsx', 'composition/media-migrate.ts'];
/** s3rver knows one key id and checks no signature: a recognisable secret, so the test can tell it was never printed. */
const KEY_ID = S3_CREDENTIALS.accessKeyId;
const SECRET = 'migrate-test-secret-never-printed-0123456789';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run media:migrate`'s entry with only `env` set (and no .env file). */
function mediaMigrate(env: Record<string, string>): Promise<Run> {
  const fullEnv = { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, ENTRY, { cwd: ROOT, env: fullEnv }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run media:migrate', function () {
  this.timeout(60_000);
  let s3: S3Server;
  let client: S3Client;
  let dir: string;
  let mediaRoot: string;
  let env: Record<string, string>;

  before(async () => {
    s3 = await startS3Server();
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    });
  });
  after(async () => {
    client.destroy();
    await s3.close();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-migrate-cli-'));
    mediaRoot = join(dir, 'media');
    await mkdir(mediaRoot);
    env = {
      ...s3.env,
      S3_ACCESS_KEY_ID: KEY_ID,
      S3_SECRET_ACCESS_KEY: SECRET,
      S3_PREFIX: `${dir.split('-').pop()}/`,
      MEDIA_ROOT: mediaRoot,
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** `count` media files of 1 KB each under MEDIA_ROOT, and one that is not media; their names. */
  async function writeMedia(count: number): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const bytes = randomBytes(1024);
      const name = `${createHash('sha256').update(bytes).digest('hex')}.jpg`;
      await writeFile(join(mediaRoot, name), bytes);
      names.push(name);
    }
    await writeFile(join(mediaRoot, 'README.txt'), 'not media');
    return names.sort();
  }

  async function keys(): Promise<string[]> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: env.S3_PREFIX }));
    return (listed.Contents ?? []).map((object) => object.Key!.slice(env.S3_PREFIX.length)).sort();
  }

  const expectNoSecret = (run: Run) => {
    expect(`${run.stdout}${run.stderr}`).not.to.include(SECRET);
  };

  it('copies, then skips: progress and the summary, exit 0, no credential printed', async () => {
    const names = await writeMedia(3);
    const first = await mediaMigrate(env);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.equal(
      'media:migrate: 3 media files (3 KB): copied 3 (3 KB), skipped 0 (already in the bucket), failed 0\n' +
        'media:migrate: 1 other entries (not media names) ignored\n',
    );
    expect(first.stderr).to.include(`media:migrate: copying the media files of ${mediaRoot} to s3://media/${env.S3_PREFIX} at ${s3.url}\n`);
    expect(first.stderr).to.include('[------------------------] 0/3 files, 0 B/3 KB: copied 0, skipped 0, failed 0\n');
    expect(first.stderr).to.include('[########################] 3/3 files, 3 KB/3 KB: copied 3, skipped 0, failed 0\n');
    expect(await keys()).to.deep.equal(names);
    expectNoSecret(first);

    const second = await mediaMigrate(env);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout.split('\n')[0]).to.equal(
      'media:migrate: 3 media files (3 KB): copied 0 (0 B), skipped 3 (already in the bucket), failed 0',
    );
    expect((await readdir(mediaRoot)).sort()).to.deep.equal([...names, 'README.txt'].sort());
  });

  it('killed midway, a second run finishes the job without copying again what was done', async () => {
    const names = await writeMedia(300);
    const child = spawn(process.execPath, ENTRY, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed once a few objects are in the bucket, the others still to copy.
    while ((await keys()).length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    await exited;
    const done = await keys();
    expect(done.length).to.be.within(5, names.length - 1);

    const resumed = await mediaMigrate(env);
    expect(resumed.code, resumed.stderr).to.equal(0);
    const left = names.length - done.length;
    expect(resumed.stdout.split('\n')[0]).to.equal(
      `media:migrate: 300 media files (300 KB): copied ${left} (${left} KB), skipped ${done.length} (already in the bucket), failed 0`,
    );
    expect(await keys()).to.deep.equal(names);
  });

  it('Ctrl-C: the files in flight finish, the summary says how many were not tried, exit 1', async () => {
    const names = await writeMedia(300);
    const child = spawn(process.execPath, ENTRY, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    while ((await keys()).length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    expect(await exited).to.equal(1);
    const copied = Number(/copied (\d+) /.exec(stdout)?.[1]);
    expect(await keys()).to.have.length(copied);
    expect(stdout).to.include(`media:migrate: interrupted: ${names.length - copied} files not tried; run it again to finish\n`);
  });

  it('a bucket that does not answer: every failure said with its reason and no credential, exit 1', async () => {
    await writeMedia(2);
    const run = await mediaMigrate({ ...env, S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, S3_TIMEOUT_MS: '2000' });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/media:migrate: media store unavailable: operation=stat bucket=media key=\S+\.jpg reason=\S+/);
    expect(run.stderr).to.match(/media:migrate: [0-9a-f]{64}\.jpg failed: media_store_unavailable\n/);
    expect(run.stdout).to.equal(
      'media:migrate: 2 media files (2 KB): copied 0 (0 B), skipped 0 (already in the bucket), failed 2\n' +
        'media:migrate: 1 other entries (not media names) ignored\n' +
        'media:migrate: run it again to retry the failed files\n',
    );
    expectNoSecret(run);
  });

  it('refuses to run without MEDIA_STORE=s3, with an invalid S3 variable, or without MEDIA_ROOT', async () => {
    const disk = await mediaMigrate({ ...env, MEDIA_STORE: 'disk' });
    expect(disk.code).to.equal(1);
    expect(disk.stderr).to.equal(
      'media:migrate: MEDIA_STORE is not s3: set MEDIA_STORE=s3 and the S3_* variables of the bucket to copy MEDIA_ROOT into.\n',
    );
    const noBucket = await mediaMigrate({ ...env, S3_BUCKET: '' });
    expect(noBucket.code).to.equal(1);
    expect(noBucket.stderr).to.equal('media:migrate: S3_BUCKET is required when MEDIA_STORE=s3\n');
    const missing = join(dir, 'nowhere');
    const noRoot = await mediaMigrate({ ...env, MEDIA_ROOT: missing });
    expect(noRoot.code).to.equal(1);
    expect(noRoot.stderr).to.include(
      `media:migrate: MEDIA_ROOT ${missing} does not exist (run it where the app runs, or set MEDIA_ROOT)\n`,
    );
    for (const run of [disk, noBucket, noRoot]) expectNoSecret(run);
  });
});
