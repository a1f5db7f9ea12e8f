import { contentTypeOfName, mediaName, type ImageExtension, type MediaStore, type StoredFile } from '../../core/images/index.js';

const URL_PATH = '/memory';

export class InMemoryMediaStore implements MediaStore {
  readonly files = new Map<string, Buffer>();
  private readonly savedAt = new Map<string, Date>();

  async save(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
    const name = mediaName(bytes, extension);
    this.files.set(name, Buffer.from(bytes));
    this.savedAt.set(name, new Date());
    return `${URL_PATH}/${name}`;
  }

  async read(url: string): Promise<Buffer | null> {
    const file = this.files.get(this.nameOf(url));
    return file ? Buffer.from(file) : null;
  }

  async open(url: string): Promise<StoredFile | null> {
    const name = this.nameOf(url);
    const file = this.files.get(name);
    if (!file) return null;
    return { body: Buffer.from(file), contentType: contentTypeOfName(name)!, size: file.length, modified: this.savedAt.get(name)! };
  }

  directUrl(): null {
    return null;
  }

  async remove(url: string): Promise<void> {
    this.files.delete(this.nameOf(url));
  }

  private nameOf(url: string): string {
    return url.startsWith(`${URL_PATH}/`) ? url.slice(URL_PATH.length + 1) : '';
  }
}
