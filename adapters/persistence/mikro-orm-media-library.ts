import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { ImageType, Media, MediaLibrary, MediaSource, NewMedia } from '../../core/images/index.js';
import type { Page, PageRequest } from '../../core/shared/index.js';
import { toDate } from './column-values.js';
import { selectList } from './columns.js';
import { currentEm } from './current-em.js';
import { MediaSchema, type MediaRow } from './entities.js';
import { dialectOf, OLDER_THAN_KEY, olderThanKeyParams, pageOf, usingIndex, type Dialect } from './keyset-page.js';
import { runPrepared } from './prepared-sql.js';
import { translateDbErrors } from './translate-db-errors.js';

/**
 * ss_media through MikroORM's query builder, one statement per call, nothing in an identity map; the list is a
 * prepared statement (raw SQL) because it names its index and pages by keyset (keyset-page.ts).
 */
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

  /** Prepared, as the other hot reads are (see runPrepared). */
  listByUser(userId: number, { limit, before }: PageRequest): Promise<Page<Media>> {
    return translateDbErrors(async () => {
      const sql = mediaPageSql(dialectOf(this.em), before !== undefined);
      const params = before ? [userId, ...olderThanKeyParams(this.em, before), limit + 1] : [userId, limit + 1];
      const rows = (await runPrepared(this.em, sql, params, 'all')) as MediaRow[];
      const more = rows.length > limit;
      if (more) rows.length = limit;
      return pageOf(rows.map(toMedia), more);
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

/**
 * The statement of a page of a user's media, the first or the one after a key: one range of
 * ss_media_user_created_idx, in its order (test/contracts/list-plans.ts reads the plans).
 */
export function mediaPageSql(dialect: Dialect, afterKey: boolean): string {
  const from = `select ${MEDIA_COLUMNS} from ${usingIndex(dialect, 'ss_media', 'ss_media_user_created_idx')} where user_id = ?`;
  return `${from}${afterKey ? ` and ${OLDER_THAN_KEY}` : ''} order by created_at desc, id desc limit ?`;
}

const MEDIA_COLUMNS = selectList(MediaSchema);

/** The row as the query builder or a prepared statement gives it (property names; see toDate for dates). */
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
    createdAt: toDate(row.createdAt),
  };
}
