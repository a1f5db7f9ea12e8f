import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface MediaFile {
  bytes: Buffer;
  modified: Date;
}

interface Cached extends MediaFile {
  size: number;
  modifiedMs: number;
  ino: number;
}

/** Files above this are read for each request and never kept. */
const LARGEST_KEPT = 1024 * 1024;

/**
 * The files of MEDIA_ROOT by name, the recently served ones kept in memory (least recently used first
 * out, at most `capacity` bytes). Every read still asks the disk whether the file is there and unchanged
 * (one stat): a file deleted here or by another instance is never served again, and nothing can be
 * stale. Streaming a 200 KB image from disk took ~3× the CPU of sending it from memory, which kept
 * `GET /media`'s p99 over 50 ms at 50 connections (docs/performance.md).
 */
export class MediaFiles {
  private readonly kept = new Map<string, Cached>();
  private keptBytes = 0;

  constructor(
    private readonly root: string,
    private readonly capacity = 32 * 1024 * 1024,
  ) {}

  /** The file, or undefined when it is missing or not a regular file. `name` must already be a checked media name. */
  async read(name: string): Promise<MediaFile | undefined> {
    const path = join(this.root, name);
    const found = await stat(path).catch(() => undefined);
    if (found === undefined || !found.isFile()) {
      this.forget(name);
      return undefined;
    }
    const kept = this.kept.get(name);
    if (kept !== undefined && kept.size === found.size && kept.modifiedMs === found.mtimeMs && kept.ino === found.ino) {
      this.kept.delete(name);
      this.kept.set(name, kept);
      return kept;
    }
    this.forget(name);
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes === undefined) return undefined;
    const file: Cached = { bytes, modified: found.mtime, size: found.size, modifiedMs: found.mtimeMs, ino: found.ino };
    if (bytes.length === found.size && bytes.length <= LARGEST_KEPT) this.keep(name, file);
    return file;
  }

  private keep(name: string, file: Cached): void {
    this.kept.set(name, file);
    this.keptBytes += file.bytes.length;
    for (const [oldest, old] of this.kept) {
      if (this.keptBytes <= this.capacity) break;
      this.kept.delete(oldest);
      this.keptBytes -= old.bytes.length;
    }
  }

  private forget(name: string): void {
    const kept = this.kept.get(name);
    if (kept === undefined) return;
    this.kept.delete(name);
    this.keptBytes -= kept.bytes.length;
  }
}
