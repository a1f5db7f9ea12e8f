import { createHash } from 'node:crypto';
import type { ImageExtension, MediaStore } from '../../core/images/index.js';

const URL_PATH = '/memory';

export class InMemoryMediaStore implements MediaStore {
  readonly files = new Map<string, Buffer>();

  async save(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${extension}`;
    this.files.set(name, Buffer.from(bytes));
    return `${URL_PATH}/${name}`;
  }

  async read(url: string): Promise<Buffer | null> {
    const file = url.startsWith(`${URL_PATH}/`) ? this.files.get(url.slice(URL_PATH.length + 1)) : undefined;
    return file ? Buffer.from(file) : null;
  }

  async remove(url: string): Promise<void> {
    if (url.startsWith(`${URL_PATH}/`)) this.files.delete(url.slice(URL_PATH.length + 1));
  }
}
