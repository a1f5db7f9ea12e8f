import type { ObjectQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import {
  NEW_POST_STATE,
  publishJobKey,
  type NewPost,
  type Post,
  type PostChange,
  type PostError,
  type PostErrorCode,
  type PostKind,
  type PostMedia,
  type PostStatus,
  type PostListQuery,
  type PostRepository,
} from '../../core/publishing/index.js';
import type { Page } from '../../core/shared/index.js';
import { currentEm } from './current-em.js';
import { JobSchema, PostMediaSchema, PostSchema, type PostMediaRow, type PostRow } from './entities.js';
import { translateDbErrors } from './translate-db-errors.js';
import { legacySaid } from './legacy-post-error.js';
import type { Message, MessageKey, MessageParams } from '../../core/shared/index.js';
import { numberOrNull, toDate } from './column-values.js';
import { fieldsOf, selectList } from './columns.js';
import { runPrepared } from './prepared-sql.js';
import { dialectOf, OLDER_THAN_KEY, type Dialect, olderThanKeyParams, pageOf, usingIndex } from './keyset-page.js';

/**
 * ss_post and ss_post_media through MikroORM's query builder, nothing in an identity map. A status change
 * is one UPDATE … WHERE id = ? AND status IN (…): InnoDB's row lock and SQLite's single writer let one of
 * two racing changes match the row. A post's media rows go with it (on delete cascade).
 */
export class MikroOrmPostRepository implements PostRepository {
  constructor(private readonly em: SqlEntityManager) {}

  create(post: NewPost, now: Date): Promise<Post> {
    return translateDbErrors(() =>
      currentEm(this.em).transactional(async (em) => {
        const { media, kind = 'feed', ...fields } = post;
        const { error, ...state } = NEW_POST_STATE;
        const row = { ...fields, kind, ...state, ...errorColumns(error), createdAt: now, updatedAt: now };
        const id = Number(await em.insert(PostSchema, row));
        await insertMedia(em, id, media);
        return (await this.findOne(em, { id }))!;
      }),
    );
  }

  findById(postId: number): Promise<Post | null> {
    return translateDbErrors(() => this.findOne(currentEm(this.em), { id: postId }));
  }

  findOwned(userId: number, postId: number): Promise<Post | null> {
    return translateDbErrors(() => this.findOne(currentEm(this.em), { id: postId, userId }));
  }

  /**
   * Prepared statements on purpose: GET /api/personas/:id/posts is a hot read (see runPrepared). One statement
   * reads the page (keyset, see keyset-page.ts): on SQLite each post as JSON with its images, on MySQL/MariaDB
   * as a row, and a second statement reads the images of those posts (see postPageSql).
   */
  listByPersona(userId: number, personaId: number, query: PostListQuery): Promise<Page<Post>> {
    return translateDbErrors(async () => {
      const { status, kind, limit, before } = query;
      const params: unknown[] = [userId, personaId];
      if (kind !== undefined) params.push(kind);
      if (status !== undefined) params.push(status);
      if (before) params.push(...olderThanKeyParams(this.em, before));
      params.push(limit + 1);
      const dialect = dialectOf(this.em);
      const sql = postPageSql(dialect, { kind: kind !== undefined, status: status !== undefined }, before !== undefined);
      const rows = await runPrepared(this.em, sql, params, 'all');
      const more = rows.length > limit;
      if (more) rows.length = limit;
      if (dialect === 'sqlite') return pageOf((rows as { post: string }[]).map(postOfJson), more);
      return pageOf(await this.withImages(rows as PostRow[]), more);
    });
  }

  /** The posts with their images, read in one statement. */
  private async withImages(rows: PostRow[]): Promise<Post[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const media = (await runPrepared(this.em, mediaOfPosts(ids.length), ids, 'all')) as PostMediaRow[];
    const byPost = new Map<number, PostMediaRow[]>(ids.map((id) => [Number(id), []]));
    for (const item of media) byPost.get(Number(item.postId))?.push(item);
    return rows.map((row) => toPost(row, inPositionOrder(byPost.get(Number(row.id))!)));
  }

  update(postId: number, from: readonly PostStatus[], change: PostChange, now: Date): Promise<Post | null> {
    if (from.length === 0) return Promise.resolve(null);
    return translateDbErrors(() =>
      currentEm(this.em).transactional(async (em) => {
        const { media, ...fields } = change;
        const changed = await em.nativeUpdate(
          PostSchema,
          { id: postId, status: { $in: [...from] } },
          { ...columns(fields), updatedAt: now },
        );
        if (changed === 0) return null;
        if (media) {
          await em.nativeDelete(PostMediaSchema, { postId });
          await insertMedia(em, postId, media);
        }
        return this.findOne(em, { id: postId });
      }),
    );
  }

  saveMediaProgress(postId: number, position: number, progress: Partial<Pick<PostMedia, 'preparedUrl' | 'containerId'>>): Promise<boolean> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const item = { postId, position };
      if (Object.keys(progress).length === 0) return (await em.count(PostMediaSchema, item)) > 0;
      return (await em.nativeUpdate(PostMediaSchema, item, progress)) > 0;
    });
  }

  /** The post (compare-and-set on its status), its media rows (by cascade) and its job: never a job without its post. */
  delete(postId: number, from: readonly PostStatus[]): Promise<boolean> {
    if (from.length === 0) return Promise.resolve(false);
    return translateDbErrors(() =>
      currentEm(this.em).transactional(async (em) => {
        if ((await em.nativeDelete(PostSchema, { id: postId, status: { $in: [...from] } })) === 0) return false;
        await em.nativeDelete(JobSchema, { dedupeKey: publishJobKey(postId) });
        return true;
      }),
    );
  }

  nextScheduledAt(personaId: number): Promise<Date | null> {
    return translateDbErrors(async () => {
      const row = await currentEm(this.em)
        .createQueryBuilder(PostSchema)
        .select('scheduledAt')
        .where({ personaId, status: 'scheduled', scheduledAt: { $ne: null } })
        .orderBy({ scheduledAt: 'asc' })
        .limit(1)
        .execute<Pick<PostRow, 'scheduledAt'> | undefined>('get');
      return row?.scheduledAt ? new Date(row.scheduledAt) : null;
    });
  }

  deleteByPersonas(personaIds: number[]): Promise<string[]> {
    if (personaIds.length === 0) return Promise.resolve([]);
    return this.deleteWhere({ personaId: { $in: personaIds } });
  }

  deleteUserData(userId: number): Promise<string[]> {
    return this.deleteWhere({ userId });
  }

  referenced(urls: string[]): Promise<string[]> {
    if (urls.length === 0) return Promise.resolve([]);
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(PostMediaSchema)
        .select('preparedUrl', true)
        .where({ preparedUrl: { $in: urls } })
        .execute<Pick<PostMediaRow, 'preparedUrl'>[]>('all');
      return rows.map((row) => row.preparedUrl!);
    });
  }

  /** The posts, their media rows (by cascade) and their jobs (as delete), in one transaction; the prepared files they named. */
  private deleteWhere(where: ObjectQuery<PostRow>): Promise<string[]> {
    return translateDbErrors(() =>
      currentEm(this.em).transactional(async (em) => {
        const posts = await em.createQueryBuilder(PostSchema).select('id').where(where).execute<Pick<PostRow, 'id'>[]>('all');
        if (posts.length === 0) return [];
        const ids = posts.map((row) => Number(row.id));
        const prepared = await em
          .createQueryBuilder(PostMediaSchema)
          .select('preparedUrl', true)
          .where({ postId: { $in: ids }, preparedUrl: { $ne: null } })
          .execute<Pick<PostMediaRow, 'preparedUrl'>[]>('all');
        await em.nativeDelete(JobSchema, { dedupeKey: { $in: ids.map(publishJobKey) } });
        await em.nativeDelete(PostSchema, { id: { $in: ids } });
        return prepared.map((row) => row.preparedUrl!);
      }),
    );
  }

  /** The post `where` names, with its media rows in position order. */
  private async findOne(em: SqlEntityManager, where: ObjectQuery<PostRow>): Promise<Post | null> {
    const row = await em.createQueryBuilder(PostSchema).select('*').where(where).limit(1).execute<PostRow | undefined>('get');
    if (!row) return null;
    const media = await em
      .createQueryBuilder(PostMediaSchema)
      .select('*')
      .where({ postId: row.id })
      .orderBy({ position: 'asc' })
      .execute<PostMediaRow[]>('all');
    return toPost(row, media);
  }
}

function insertMedia(em: SqlEntityManager, postId: number, media: NewPost['media']): Promise<unknown> {
  if (media.length === 0) return Promise.resolve();
  const rows = media.map((item, position) => ({
    postId,
    position,
    mediaId: item.mediaId,
    url: item.url,
    preparedUrl: null,
    containerId: null,
  }));
  return em.insertMany(PostMediaSchema, rows);
}

function columns(change: Omit<PostChange, 'media'>): Partial<PostRow> {
  const { error, ...fields } = change;
  return error === undefined ? fields : { ...fields, ...errorColumns(error) };
}

/** A post's error by code, message key and values: the words are the reader's language's, chosen when it is read. */
function errorColumns(
  error: PostError | null,
): Pick<PostRow, 'errorCode' | 'errorKey' | 'errorParams' | 'errorMessage' | 'errorMetaCode' | 'errorMetaSubcode'> {
  return {
    errorCode: error?.code ?? null,
    errorKey: error?.said.key ?? null,
    errorParams: error?.said.params ? JSON.stringify(error.said.params) : null,
    errorMessage: null,
    errorMetaCode: error?.metaCode ?? null,
    errorMetaSubcode: error?.metaSubcode ?? null,
  };
}

/** ss_post's columns and the PostRow properties they fill, in the order of the SQLite page's JSON arrays. */
const POST_FIELDS = fieldsOf(PostSchema);
const POST_COLUMNS = selectList(PostSchema);
/** A post's images in the SQLite page's JSON, each `[position, media_id, url, prepared_url, container_id]`, in any order. */
const IMAGES_OF_POST_JSON =
  '(select json_group_array(json_array(position, media_id, url, prepared_url, container_id)) from ss_post_media where post_id = ss_post.id)';
const POST_JSON = `json_array(${POST_FIELDS.map(([column]) => column).join(', ')}, ${IMAGES_OF_POST_JSON}) as post`;
const pageStatements = new Map<string, string>();

/** Which of a page's filters a statement has: its parameters come in this order, kind then status. */
export interface PostPageFilter {
  kind: boolean;
  status: boolean;
}

/** The index of each filter: the persona's posts, then the filtered columns, then created_at (and the primary key). */
const PAGE_INDEXES = {
  'false false': 'ss_post_user_persona_created_idx',
  'false true': 'ss_post_user_persona_status_created_idx',
  'true false': 'ss_post_user_persona_kind_created_idx',
  'true true': 'ss_post_user_persona_kind_status_created_idx',
} as const;

/**
 * The statement of a page of a persona's posts, all of them or of one kind, status or both, the first page or the
 * one after a key: one range of the index it names, in its order (test/contracts/list-plans.ts reads the plans).
 *
 * On SQLite each post comes as one JSON array, its columns (POST_FIELDS) then its images (an index lookup per
 * post), built by SQLite in C. Why: libsql hands each column value over to JavaScript at about half a
 * microsecond, more than the query costs (a post has 21 values, an image 6); one text value per post, read with
 * JSON.parse, costs a fraction of that, and the images need no second statement. Measured on the bench's page
 * (20 posts of 2 images, the list alone, the process's CPU): ~780 → ~350 µs. MySQL/MariaDB keep plain rows and
 * a second statement for the images (mediaOfPosts): there the JSON functions cost mariadbd more than they save
 * mysql2 (measured: ~−100 µs for the server, ~+100 µs for mariadbd; with the images aggregated by json_arrayagg, ~+500 µs).
 */
export function postPageSql(dialect: Dialect, by: PostPageFilter, afterKey: boolean): string {
  const filter = `${by.kind} ${by.status}` as const;
  const name = `${dialect} ${filter} ${afterKey}`;
  let sql = pageStatements.get(name);
  if (!sql) {
    const index = PAGE_INDEXES[filter];
    sql =
      `select ${dialect === 'sqlite' ? POST_JSON : POST_COLUMNS} from ${usingIndex(dialect, 'ss_post', index)} where user_id = ? and persona_id = ?` +
      `${by.kind ? ' and kind = ?' : ''}${by.status ? ' and status = ?' : ''}${afterKey ? ` and ${OLDER_THAN_KEY}` : ''} ` +
      'order by created_at desc, id desc limit ?';
    pageStatements.set(name, sql);
  }
  return sql;
}

const IMAGE_COLUMNS = selectList(PostMediaSchema, { except: ['id'] });

/** The images of these posts (one statement per count of posts, at most the largest page's: few to prepare). */
export const mediaOfPosts = (count: number) =>
  `select ${IMAGE_COLUMNS} from ss_post_media where post_id in (${new Array(count).fill('?').join(', ')})`;

/**
 * Every PostRow property, for postOfJson to fill a copy of: V8 turns an object that gets more than a dozen
 * properties added by computed name into a slow dictionary (measured: ~40% of the page's allocations).
 */
const EMPTY_POST_ROW = Object.fromEntries(POST_FIELDS.map(([, property]) => [property, null]));

/** A post of the SQLite page: its columns in POST_FIELDS' order, then its images. */
function postOfJson({ post }: { post: string }): Post {
  const values = JSON.parse(post) as unknown[];
  const row: Record<string, unknown> = { ...EMPTY_POST_ROW };
  for (let i = 0; i < POST_FIELDS.length; i++) row[POST_FIELDS[i][1]] = values[i];
  const images = values[POST_FIELDS.length] as [number, number, string, string | null, string | null][];
  const media = images.map(([position, mediaId, url, preparedUrl, containerId]) => ({ position, mediaId, url, preparedUrl, containerId }));
  return toPost(row as unknown as PostRow, inPositionOrder(media));
}

const byPosition = (a: Pick<PostMediaRow, 'position'>, b: Pick<PostMediaRow, 'position'>) => a.position - b.position;

/** The images by position; most come in that order already (the index's), and sorting them anyway allocated more than the rest of the post. */
function inPositionOrder<T extends Pick<PostMediaRow, 'position'>>(media: T[]): T[] {
  for (let i = 1; i < media.length; i++) if (media[i - 1].position > media[i].position) return media.sort(byPosition);
  return media;
}

const dateOrNull = (value: Date | number | string | null) => (value === null ? null : toDate(value));

/** The rows as the query builder or a prepared statement gives them (property names; see toDate for dates). */
function toPost(row: PostRow, media: Pick<PostMediaRow, 'mediaId' | 'url' | 'preparedUrl' | 'containerId'>[]): Post {
  return {
    id: Number(row.id),
    userId: Number(row.userId),
    personaId: Number(row.personaId),
    kind: row.kind as PostKind,
    status: row.status as PostStatus,
    caption: row.caption,
    altText: row.altText,
    media: media.map((item) => ({
      mediaId: Number(item.mediaId),
      url: item.url,
      preparedUrl: item.preparedUrl,
      containerId: item.containerId,
    })),
    scheduledAt: dateOrNull(row.scheduledAt),
    localAt: row.localAt,
    timeZone: row.timeZone,
    containerId: row.containerId,
    igMediaId: row.igMediaId,
    permalink: row.permalink,
    error:
      row.errorCode === null
        ? null
        : {
            code: row.errorCode as PostErrorCode,
            said: row.errorKey === null ? legacySaid(row.errorCode, row.errorMessage) : saidOf(row.errorKey, row.errorParams),
            metaCode: numberOrNull(row.errorMetaCode),
            metaSubcode: numberOrNull(row.errorMetaSubcode),
          },
    attempts: Number(row.attempts),
    publishKey: row.publishKey,
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
    publishedAt: dateOrNull(row.publishedAt),
  };
}

function saidOf(key: string, params: string | null): Message {
  return params === null ? { key: key as MessageKey } : { key: key as MessageKey, params: JSON.parse(params) as MessageParams };
}
