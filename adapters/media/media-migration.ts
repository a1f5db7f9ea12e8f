import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_NAME, type ImageExtension } from '../../core/images/index.js';
import type { StoredObject } from './s3-media-store.js';

/** The bucket as the migration uses it: S3MediaStore (its keys, content types and metadata), or a test's wrapper of it. */
export interface MigrationTarget {
  stat(url: string): Promise<StoredObject | null>;
  save(bytes: Uint8Array, extension: ImageExtension): Promise<string>;
}

/** Where a run stands: files and bytes done of the totals found under the root, and what became of them. */
export interface MigrationProgress {
  totalFiles: number;
  totalBytes: number;
  doneFiles: number;
  doneBytes: number;
  copied: number;
  copiedBytes: number;
  skipped: number;
  failed: number;
  /** Files removed from the root while the run went on (by the app's sweep, say): nothing left to copy. */
  vanished: number;
}

export interface MigrationSummary extends MigrationProgress {
  /** Entries of the root that are not media files (dotfiles, other names, directories): left alone. */
  ignored: number;
  /** The files not tried: the run stopped (interrupted, or too many failures in a row). */
  notTried: number;
  /** Why files were left untried; null when every file was tried. */
  stopped: 'interrupted' | 'failures' | null;
  failures: { name: string; reason: string }[];
}

export interface MigrationOptions {
  /** MEDIA_ROOT: the directory FsMediaStore writes its files into. */
  root: string;
  target: MigrationTarget;
  /** The URL path the target's URLs start with (`/media`). */
  urlPath: string;
  /** Files in flight at once. */
  concurrency?: number;
  /** The run stops after this many failures in a row (a bucket that is down, or refuses every write). */
  maxFailuresInARow?: number;
  /** Aborted: the files in flight finish, no other starts. */
  signal?: AbortSignal;
  onProgress?(progress: Readonly<MigrationProgress>): void;
  onFailure?(name: string, reason: string): void;
}

interface MediaFile {
  name: string;
  size: number;
}

type Outcome = 'copied' | 'skipped' | 'vanished';

/**
 * Copies the media files of `root` (names a MediaStore makes: `<sha256>.<ext>`; nothing else) into the
 * target under the same names, leaving the files alone. A key that already holds the file's bytes is
 * skipped: same size and the SHA-256 `save` wrote into its metadata, or, for an object written by other
 * means, an ETag equal to the file's MD5. Any other object under the key is replaced. Each file is one
 * atomic PutObject, so a run stopped anywhere leaves whole objects only, and the next run copies the rest.
 * A file whose bytes do not hash to its name fails: it is not copied under a name that would lie.
 */
export async function migrateMedia(options: MigrationOptions): Promise<MigrationSummary> {
  const { root, target, urlPath, concurrency = 4, maxFailuresInARow = 10, signal } = options;
  const { files, ignored } = await mediaFilesOf(root);
  const progress: MigrationProgress = {
    totalFiles: files.length,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    doneFiles: 0,
    doneBytes: 0,
    copied: 0,
    copiedBytes: 0,
    skipped: 0,
    failed: 0,
    vanished: 0,
  };
  const failures: MigrationSummary['failures'] = [];
  options.onProgress?.(progress);

  let next = 0;
  let failuresInARow = 0;
  const stopping = () => signal?.aborted === true || failuresInARow >= maxFailuresInARow;
  const work = async () => {
    while (next < files.length && !stopping()) {
      const file = files[next++];
      try {
        const outcome = await migrateFile(target, urlPath, root, file);
        progress[outcome] += 1;
        if (outcome === 'copied') progress.copiedBytes += file.size;
        failuresInARow = 0;
      } catch (error) {
        const reason = reasonOf(error);
        progress.failed += 1;
        failuresInARow += 1;
        failures.push({ name: file.name, reason });
        options.onFailure?.(file.name, reason);
      }
      progress.doneFiles += 1;
      progress.doneBytes += file.size;
      options.onProgress?.(progress);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, work));
  const notTried = files.length - progress.doneFiles;
  const stopped = notTried === 0 ? null : signal?.aborted === true ? 'interrupted' : 'failures';
  return { ...progress, ignored, notTried, stopped, failures };
}

async function migrateFile(target: MigrationTarget, urlPath: string, root: string, file: MediaFile): Promise<Outcome> {
  const url = `${urlPath}/${file.name}`;
  const hash = file.name.slice(0, file.name.indexOf('.'));
  const object = await target.stat(url);
  // The name is the hash of the bytes: an object of the same size that `save` wrote with it holds them.
  if (object !== null && object.size === file.size && object.sha256 === hash) return 'skipped';
  const bytes = await readFile(join(root, file.name)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  if (bytes === null) return 'vanished';
  if (createHash('sha256').update(bytes).digest('hex') !== hash) throw new Error('its bytes do not hash to its name (left uncopied)');
  if (object !== null && object.size === bytes.length && object.sha256 === null && object.md5 === md5Of(bytes)) return 'skipped';
  const saved = await target.save(bytes, MEDIA_NAME.exec(file.name)![1] as ImageExtension);
  if (saved !== url) throw new Error(`saved as ${saved}`);
  return 'copied';
}

/** The regular files of `root` (symbolic links followed) with media names, by name; the count of every other entry. */
async function mediaFilesOf(root: string): Promise<{ files: MediaFile[]; ignored: number }> {
  const names = (await readdir(root)).sort();
  const files: MediaFile[] = [];
  for (const name of names) {
    if (!MEDIA_NAME.test(name)) continue;
    const found = await stat(join(root, name)).catch(() => null);
    if (found?.isFile()) files.push({ name, size: found.size });
  }
  return { files, ignored: names.length - files.length };
}

function md5Of(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The error's message: `media_store_unavailable` from the store (which logged why), a file system error's own. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
