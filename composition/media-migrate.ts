/**
 * `npm run media:migrate`: copies the media files under MEDIA_ROOT into the bucket of MEDIA_STORE=s3
 * (the S3_* variables, read as the server reads them; nothing else is needed), the way the server's
 * S3MediaStore writes them. Skips what is already there, so it can be run again, or after an
 * interruption, to finish; leaves the files on disk alone. Progress on stderr, the summary on stdout;
 * exits 1 when a file failed or was not tried. Prints no credential.
 */
import 'dotenv/config';
import { MEDIA_URL_PATH } from '../adapters/http/routes/media-routes.js';
import { createLogger } from '../adapters/logging/create-logger.js';
import { migrateMedia } from '../adapters/media/media-migration.js';
import { MigrationProgressBar, plainLogLine, summaryText } from '../adapters/media/migration-progress.js';
import { S3MediaStore } from '../adapters/media/s3-media-store.js';
import { ConfigError, loadMediaConfig } from './config.js';

function fail(message: string): never {
  console.error(`media:migrate: ${message}`);
  process.exit(1);
}

let config;
try {
  config = loadMediaConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  fail(error.message);
}
const { mediaRoot, s3 } = config;
if (s3 === null) fail('MEDIA_STORE is not s3: set MEDIA_STORE=s3 and the S3_* variables of the bucket to copy MEDIA_ROOT into.');

const bar = new MigrationProgressBar(process.stderr);
// The store's warnings (which call failed, and why: never a credential) go above the bar.
const logger = createLogger('warn', { write: (line: string) => bar.log(`media:migrate: ${plainLogLine(line)}`) });
const target = new S3MediaStore(s3, MEDIA_URL_PATH, logger);
// The endpoint's scheme, host and port only: nothing that could carry a credential.
const where = `s3://${s3.bucket}/${s3.prefix}${s3.endpoint === null ? '' : ` at ${new URL(s3.endpoint).origin}`}`;
console.error(`media:migrate: copying the media files of ${mediaRoot} to ${where}`);

// The first SIGINT or SIGTERM lets the files in flight finish, then prints the summary; a second one kills.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());

try {
  const summary = await migrateMedia({
    root: mediaRoot,
    target,
    urlPath: MEDIA_URL_PATH,
    signal: interrupt.signal,
    onProgress: (progress) => bar.update(progress),
    onFailure: (name, reason) => bar.log(`media:migrate: ${name} failed: ${reason}`),
  });
  bar.update(summary);
  bar.end();
  console.log(`media:migrate: ${summaryText(summary).replaceAll('\n', '\nmedia:migrate: ')}`);
  process.exitCode = summary.failed > 0 || summary.notTried > 0 ? 1 : 0;
} catch (error) {
  bar.end();
  const { code, message } = error as NodeJS.ErrnoException;
  fail(code === 'ENOENT' ? `MEDIA_ROOT ${mediaRoot} does not exist (run it where the app runs, or set MEDIA_ROOT)` : message);
}
