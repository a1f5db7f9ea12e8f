import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  contentTypeOfName,
  MEDIA_NAME,
  mediaName,
  type ImageExtension,
  type MediaStore,
  type StoredFile,
} from '../../core/images/index.js';
import { MediaFiles } from './media-files.js';

/** The few filesystem calls the store makes; tests pass their own to inject failures. */
export interface MediaStoreIo {
  writeFile(path: string, data: Uint8Array, options: { flag: 'wx' }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readFile(path: string): Promise<Buffer>;
}

/**
 * Files under `root`, named by the SHA-256 of their bytes. Each write goes to a dotfile in
 * `root` (same filesystem, so the rename is atomic; /media never serves dotfiles) and is
 * renamed into place: readers see the whole file or none. An existing file of the same name
 * holds the same bytes, so replacing it is harmless.
 */
export class FsMediaStore implements MediaStore {
  /** The root is created by the first save; a failed attempt (or a root gone missing) makes the next save try again. */
  private rootReady: Promise<unknown> | null = null;
  private readonly files: MediaFiles;

  /** `urlPath`: where the HTTP adapter serves `root` (save answers `<urlPath>/<name>`). */
  constructor(
    private readonly root: string,
    private readonly urlPath: string,
    private readonly io: MediaStoreIo = { writeFile, rename, unlink, mkdir, readFile },
  ) {
    this.files = new MediaFiles(root);
  }

  async save(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
    const name = mediaName(bytes, extension);
    await this.createRoot();
    const temp = join(this.root, `.tmp-${randomBytes(16).toString('hex')}`);
    try {
      await this.io.writeFile(temp, bytes, { flag: 'wx' });
      await this.io.rename(temp, join(this.root, name));
    } catch (error) {
      // EEXIST: the temp name belongs to someone else's write, which is theirs to clean up.
      if (codeOf(error) === 'EEXIST') throw error;
      if (codeOf(error) === 'ENOENT') this.rootReady = null; // the root was removed: recreate it next time
      const cleanup = await this.io.unlink(temp).then(
        () => undefined,
        (unlinkError: unknown) => (codeOf(unlinkError) === 'ENOENT' ? undefined : unlinkError),
      );
      throw cleanup ? new AggregateError([error, cleanup], `could not save ${name} nor remove ${temp}`) : error;
    }
    return `${this.urlPath}/${name}`;
  }

  async read(url: string): Promise<Buffer | null> {
    const name = this.storedName(url);
    if (!name) return null;
    return this.io.readFile(join(this.root, name)).catch((error: unknown) => {
      if (codeOf(error) === 'ENOENT') return null;
      throw error;
    });
  }

  /** Served from memory while the file on disk is unchanged (media-files.ts). */
  async open(url: string): Promise<StoredFile | null> {
    const name = this.storedName(url);
    const file = name === null ? undefined : await this.files.read(name);
    if (name === null || file === undefined) return null;
    return { body: file.bytes, contentType: contentTypeOfName(name)!, size: file.bytes.length, modified: file.modified };
  }

  directUrl(): null {
    return null;
  }

  async remove(url: string): Promise<void> {
    const name = this.storedName(url);
    if (!name) return;
    await this.io.unlink(join(this.root, name)).catch((error: unknown) => {
      if (codeOf(error) !== 'ENOENT') throw error;
    });
  }

  /** Only a name `save` makes reaches the filesystem: any other URL (a path, `..`) is nobody's file. */
  private storedName(url: string): string | null {
    const name = url.startsWith(`${this.urlPath}/`) ? url.slice(this.urlPath.length + 1) : '';
    return MEDIA_NAME.test(name) ? name : null;
  }

  private createRoot(): Promise<unknown> {
    this.rootReady ??= this.io.mkdir(this.root, { recursive: true }).catch((error: unknown) => {
      this.rootReady = null;
      throw error;
    });
    return this.rootReady;
  }
}

function codeOf(error: unknown): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
