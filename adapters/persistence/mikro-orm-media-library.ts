import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { ImageType } from '../../core/ports/image-processor.js';
import type { Media, MediaLibrary, MediaSource, NewMedia } from '../../core/ports/media-library.js';
import { currentEm } from './current-em.js';
import { MediaSchema, type MediaRow } from './entities.js';
import { translateDbErrors } from './translate-db-errors.js';

/** ss_media through MikroORM's query builder: one statement per call, nothing in an identity map. */
export class MikroOrmMediaLibrary implements MediaLibrary {
  constructor(private readonly em: SqlEntityManager) {}

  add(media: NewMedia, createdAt: Date): Promise<Media> {
    return translateDbErrors(async () => {
      const id = await currentEm(this.em).insert(MediaSchema, { ...media, createdAt });
      return { ...media, id: Number(id), createdAt: new Date(createdAt) };
    });
  }

  findOwned(userId: number, ids: number[]): Promise<Media[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(MediaSchema)
        .select('*')
        .where({ userId, id: { $in: ids } })
        .execute<MediaRow[]>('all');
      return rows.map(toMedia);
    });
  }

  listByUser(userId: number): Promise<Media[]> {
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(MediaSchema)
        .select('*')
        .where({ userId })
        .orderBy({ createdAt: 'desc', id: 'desc' })
        .execute<MediaRow[]>('all');
      return rows.map(toMedia);
    });
  }

  deleteUserData(userId: number): Promise<string[]> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const rows = await em.createQueryBuilder(MediaSchema).select('url', true).where({ userId }).execute<Pick<MediaRow, 'url'>[]>('all');
      await em.nativeDelete(MediaSchema, { userId });
      return rows.map((row) => row.url);
    });
  }

  referenced(urls: string[]): Promise<string[]> {
    if (urls.length === 0) return Promise.resolve([]);
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(MediaSchema)
        .select('url', true)
        .where({ url: { $in: urls } })
        .execute<Pick<MediaRow, 'url'>[]>('all');
      return rows.map((row) => row.url);
    });
  }
}

/** The row as the query builder maps it (property names; dates as Date on every driver). */
function toMedia(row: MediaRow): Media {
  return {
    id: Number(row.id),
    userId: Number(row.userId),
    url: row.url,
    contentType: row.contentType as ImageType,
    width: Number(row.width),
    height: Number(row.height),
    bytes: Number(row.bytes),
    source: row.source as MediaSource,
    createdAt: new Date(row.createdAt),
  };
}
