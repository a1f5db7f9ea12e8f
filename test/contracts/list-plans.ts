import type { SqlEntityManager } from '@mikro-orm/mysql';
import { expect } from 'chai';
import { dialectOf, olderThanKeyParams } from '../../adapters/persistence/keyset-page.js';
import { MikroOrmMediaLibrary, mediaPageSql } from '../../adapters/persistence/mikro-orm-media-library.js';
import {
  mediaOfPosts,
  MikroOrmPostRepository,
  postPageSql,
  type PostPageFilter,
} from '../../adapters/persistence/mikro-orm-post-repository.js';
import { runPrepared } from '../../adapters/persistence/prepared-sql.js';
import {
  MediaSchema,
  PersonaSchema,
  PostMediaSchema,
  PostSchema,
  UserSchema,
  type MediaRow,
  type PostMediaRow,
  type PostRow,
} from '../../adapters/persistence/entities.js';
import { NEW_POST_STATE, type PostKind, type PostStatus } from '../../core/publishing/index.js';

const { error: _none, ...NEW_POST } = { ...NEW_POST_STATE, caption: 'c', altText: null, errorCode: null, errorMessage: null };

/** One line of a plan: the table read, how, through which index, and what else it costs. */
export interface PlanStep {
  table: string;
  /** MariaDB's `type` (ref, range, ALL…); SQLite's SEARCH or SCAN. */
  access: string;
  index: string | null;
  /** MariaDB's Extra; SQLite's whole line. */
  extra: string;
}

interface ListStatement {
  name: string;
  sql: string;
  params: unknown[];
  /** The index each table must be read through. */
  indexes: Record<string, string[]>;
}

const POSTS = ['ss_post_user_persona_created_idx'];
const POSTS_OF_STATUS = ['ss_post_user_persona_status_created_idx'];
const POSTS_OF_KIND = ['ss_post_user_persona_kind_created_idx'];
const POSTS_OF_KIND_AND_STATUS = ['ss_post_user_persona_kind_status_created_idx'];
const MEDIA = ['ss_media_user_created_idx'];
/** A post's images: by post_id, through either index that starts with it. */
const POST_MEDIA = ['ss_post_media_post_id_index', 'ss_post_media_post_position_uniq'];

/**
 * Rows enough for the planners to weigh their choices (and statistics read, as a server has them): users with
 * personas, each with posts of several statuses and their images, and media. Answers the statements the
 * lists run, with real parameters. Without the index hints, MariaDB planned the posts pages on these rows as
 * an intersection of the user_id and persona_id indexes and a filesort.
 */
async function listStatements(em: SqlEntityManager): Promise<ListStatement[]> {
  const statuses: PostStatus[] = ['draft', 'scheduled', 'published', 'failed'];
  const kinds: PostKind[] = ['feed', 'feed', 'story'];
  const start = Date.parse('2031-01-01T00:00:00Z');
  const time = (minutes: number) => new Date(start + minutes * 60_000);
  const fork = em.fork();
  let owner = { userId: 0, personaId: 0 };
  for (let u = 1; u <= 6; u++) {
    const userId = Number(
      await fork.insert(UserSchema, { provider: 'kakao', providerUserId: `plans-${u}`, createdAt: time(0), updatedAt: time(0) }),
    );
    const media = Array.from({ length: 100 }, (_, m) => ({
      userId,
      url: `/media/${u}-${m}.png`,
      contentType: 'image/png',
      width: 1,
      height: 1,
      bytes: 1,
      source: 'upload',
      createdAt: time(m),
    }));
    await fork.insertMany<MediaRow>(MediaSchema, media);
    for (let p = 1; p <= 3; p++) {
      const personaId = Number(await fork.insert(PersonaSchema, { userId, personaNum: p, name: 'p', parameters: {}, createdAt: time(0) }));
      const posts = Array.from({ length: 100 }, (_, n) => ({
        ...NEW_POST,
        userId,
        personaId,
        kind: kinds[n % 3],
        status: statuses[n % 4],
        createdAt: time(n),
        updatedAt: time(n),
      }));
      const ids = await fork.insertMany<PostRow>(PostSchema, posts);
      const images = ids.flatMap((postId) =>
        [0, 1].map((position) => ({ postId: Number(postId), position, mediaId: 1, url: '/media/a.png' })),
      );
      await fork.insertMany<PostMediaRow>(PostMediaSchema, images);
      owner = { userId, personaId };
    }
  }
  const analyze = dialectOf(em) === 'sqlite' ? 'analyze' : 'analyze table ss_post, ss_post_media, ss_media';
  await em.getConnection().execute(analyze);
  const { userId, personaId } = owner;
  const page = await new MikroOrmPostRepository(em).listByPersona(userId, personaId, { limit: 5 });
  const key = olderThanKeyParams(em, page.next!);
  const mediaKey = olderThanKeyParams(em, (await new MikroOrmMediaLibrary(em).listByUser(userId, { limit: 5 })).next!);
  const dialect = dialectOf(em);
  // On SQLite a page of posts reads each post's images in the same statement; MySQL/MariaDB in a second (postPageSql).
  const posts = (indexes: string[]): Record<string, string[]> =>
    dialect === 'sqlite' ? { ss_post: indexes, ss_post_media: POST_MEDIA } : { ss_post: indexes };
  /** The first page and the one after a key, of a filter with its values. */
  const pagesOf = (name: string, by: PostPageFilter, values: string[], indexes: string[]): ListStatement[] => [
    {
      name: `${name}, first page`,
      sql: postPageSql(dialect, by, false),
      params: [userId, personaId, ...values, 6],
      indexes: posts(indexes),
    },
    {
      name: `${name}, after a key`,
      sql: postPageSql(dialect, by, true),
      params: [userId, personaId, ...values, ...key, 6],
      indexes: posts(indexes),
    },
  ];
  const ids = page.items.map((post) => post.id);
  const images = {
    name: 'the images of a page of posts',
    sql: mediaOfPosts(ids.length),
    params: ids,
    indexes: { ss_post_media: POST_MEDIA },
  };
  const statements: ListStatement[] = [
    ...pagesOf('posts', { kind: false, status: false }, [], POSTS),
    ...pagesOf('posts of a status', { kind: false, status: true }, ['draft'], POSTS_OF_STATUS),
    ...pagesOf('posts of a kind', { kind: true, status: false }, ['story'], POSTS_OF_KIND),
    ...pagesOf('posts of a kind and a status', { kind: true, status: true }, ['story', 'draft'], POSTS_OF_KIND_AND_STATUS),
    { name: 'media, first page', sql: mediaPageSql(dialect, false), params: [userId, 6], indexes: { ss_media: MEDIA } },
    { name: 'media, after a key', sql: mediaPageSql(dialect, true), params: [userId, ...mediaKey, 6], indexes: { ss_media: MEDIA } },
  ];
  return dialect === 'sqlite' ? statements : [...statements, images];
}

/** The plan of `sql` with `params`, as the database reports it (printed with PLANS=1). */
async function planOf(em: SqlEntityManager, sql: string, params: unknown[]): Promise<PlanStep[]> {
  if (dialectOf(em) === 'sqlite') {
    const rows = (await runPrepared(em, `explain query plan ${sql}`, params, 'all')) as { detail: string }[];
    // Lines that read no table (CORRELATED SCALAR SUBQUERY, a temp b-tree for ORDER BY …) are kept with no table.
    return rows.map(({ detail }) => {
      const [, access = '', table = '', index = null] = /^(SEARCH|SCAN) (\S+)(?: USING (?:COVERING )?INDEX (\S+))?/.exec(detail) ?? [];
      return { table, access, index, extra: detail };
    });
  }
  // A prepared EXPLAIN, as the list itself runs prepared (MariaDB plans each execution with its values).
  const rows = (await runPrepared(em, `explain ${sql}`, params, 'all')) as Record<string, string | null>[];
  return rows.map((row) => ({ table: row.table ?? '', access: row.type ?? '', index: row.key, extra: row.Extra ?? '' }));
}

/**
 * The statements of the two lists (GET /api/personas/:id/posts with the images of its posts, GET /api/media)
 * read a range of the index made for them, in its order: never a full scan, a filesort or a temporary table.
 */
export function describeListPlans(name: string, setup: () => Promise<{ em: SqlEntityManager; teardown(): Promise<void> }>): void {
  describe(`list statements' plans: ${name}`, () => {
    it('every list statement reads its index, in order: no scan, no sort, no temporary table (EXPLAIN)', async () => {
      const { em, teardown } = await setup();
      try {
        for (const statement of await listStatements(em)) {
          const plan = await planOf(em, statement.sql, statement.params);
          const shown = `${statement.name}: ${statement.sql}\n${plan.map((step) => JSON.stringify(step)).join('\n')}`;
          if (process.env.PLANS) console.log(`${shown}\n`);
          const reads = plan.filter((step) => step.table !== '');
          expect(reads.map((step) => step.table).sort(), shown).to.deep.equal(Object.keys(statement.indexes).sort());
          for (const step of reads) {
            expect(statement.indexes[step.table], shown).to.include(step.index);
            expect(step.access, shown).to.be.oneOf(['SEARCH', 'ref', 'range']);
          }
          for (const step of plan) expect(step.extra, shown).to.not.match(/filesort|temporary|TEMP B-TREE|SCAN/i);
        }
      } finally {
        await teardown();
      }
    });
  });
}
