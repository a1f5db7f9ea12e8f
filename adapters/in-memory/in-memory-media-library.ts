import type { Media, MediaLibrary, NewMedia } from '../../core/images/index.js';
import type { Page, PageRequest } from '../../core/shared/index.js';
import { newestFirstPage } from './in-memory-page.js';

export class InMemoryMediaLibrary implements MediaLibrary {
  private readonly rows: Media[] = [];
  private nextId = 1;

  async add(media: NewMedia, createdAt: Date): Promise<Media> {
    const row = { ...media, id: this.nextId++, createdAt: new Date(createdAt) };
    this.rows.push(row);
    return { ...row };
  }

  async findOwned(userId: number, ids: number[]): Promise<Media[]> {
    return this.rows.filter((row) => row.userId === userId && ids.includes(row.id)).map((row) => ({ ...row }));
  }

  async listByUser(userId: number, page: PageRequest): Promise<Page<Media>> {
    return newestFirstPage(
      this.rows.filter((row) => row.userId === userId),
      page,
      (row) => ({ ...row, createdAt: new Date(row.createdAt) }),
    );
  }

  async deleteUserData(userId: number): Promise<string[]> {
    const urls = this.rows.filter((row) => row.userId === userId).map((row) => row.url);
    this.rows.splice(0, this.rows.length, ...this.rows.filter((row) => row.userId !== userId));
    return [...new Set(urls)];
  }

  async referenced(urls: string[]): Promise<string[]> {
    return [...new Set(this.rows.filter((row) => urls.includes(row.url)).map((row) => row.url))];
  }
}
