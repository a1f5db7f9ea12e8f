import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { InsightDay, InsightsStore, PostInsight } from '../../core/insights/index.js';
import { numberOrNull, toDate } from './column-values.js';
import { currentEm } from './current-em.js';
import { PersonaInsightDaySchema, PostInsightSchema, type PersonaInsightDayRow, type PostInsightRow } from './entities.js';
import { translateDbErrors } from './translate-db-errors.js';

/** ss_post_insight and ss_persona_insight_day through MikroORM's query builder, one statement per call. */
export class MikroOrmInsightsStore implements InsightsStore {
  constructor(private readonly em: SqlEntityManager) {}

  savePost(insight: PostInsight): Promise<void> {
    return translateDbErrors(async () => {
      const { postId, userId, personaId, permalink, publishedAt, fetchedAt, metrics } = insight;
      const { total_interactions: totalInteractions, ...rest } = metrics;
      const columns = { permalink, publishedAt, fetchedAt, refreshingUntil: null, ...rest, totalInteractions };
      await currentEm(this.em)
        .createQueryBuilder(PostInsightSchema)
        .insert({ postId, userId, personaId, ...columns })
        .onConflict('postId')
        .merge(Object.keys(columns) as (keyof typeof columns)[])
        .execute('run');
    });
  }

  findPost(postId: number): Promise<PostInsight | null> {
    return translateDbErrors(async () => {
      const row = await currentEm(this.em)
        .createQueryBuilder(PostInsightSchema)
        .select('*')
        .where({ postId })
        .limit(1)
        .execute<PostInsightRow | undefined>('get');
      return row ? toPostInsight(row) : null;
    });
  }

  claimRefresh(postId: number, staleAt: Date, now: Date, holdMs: number): Promise<boolean> {
    return translateDbErrors(async () => {
      const changed = await currentEm(this.em).nativeUpdate(
        PostInsightSchema,
        { postId, fetchedAt: { $lte: staleAt }, $or: [{ refreshingUntil: null }, { refreshingUntil: { $lte: now } }] },
        { refreshingUntil: new Date(now.getTime() + holdMs) },
      );
      return changed === 1;
    });
  }

  topPosts(personaId: number, since: Date, limit: number): Promise<PostInsight[]> {
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(PostInsightSchema)
        .select('*')
        .where({ personaId, publishedAt: { $gte: since } })
        // Nulls last on both databases (SQLite and MySQL sort nulls first ascending, last descending).
        .orderBy({ views: 'desc', publishedAt: 'desc', postId: 'desc' })
        .limit(limit)
        .execute<PostInsightRow[]>('all');
      return rows.map(toPostInsight);
    });
  }

  saveDay(day: InsightDay): Promise<void> {
    return translateDbErrors(async () => {
      const { personaId, userId, date, ...values } = day;
      await currentEm(this.em)
        .createQueryBuilder(PersonaInsightDaySchema)
        .insert({ personaId, userId, day: date, ...values })
        .onConflict(['personaId', 'day'])
        .merge(Object.keys(values) as (keyof typeof values)[])
        .execute('run');
    });
  }

  listDays(personaId: number, from: string, to: string): Promise<InsightDay[]> {
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(PersonaInsightDaySchema)
        .select('*')
        .where({ personaId, day: { $gte: from, $lte: to } })
        .orderBy({ day: 'asc' })
        .execute<PersonaInsightDayRow[]>('all');
      return rows.map(toDay);
    });
  }

  latestCounts(personaId: number): Promise<InsightDay | null> {
    return translateDbErrors(async () => {
      const row = await currentEm(this.em)
        .createQueryBuilder(PersonaInsightDaySchema)
        .select('*')
        .where({ personaId, $or: [{ followersCount: { $ne: null } }, { mediaCount: { $ne: null } }] })
        .orderBy({ day: 'desc' })
        .limit(1)
        .execute<PersonaInsightDayRow | undefined>('get');
      return row ? toDay(row) : null;
    });
  }

  deleteByPersonas(personaIds: number[]): Promise<void> {
    if (personaIds.length === 0) return Promise.resolve();
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      await em.nativeDelete(PostInsightSchema, { personaId: { $in: personaIds } });
      await em.nativeDelete(PersonaInsightDaySchema, { personaId: { $in: personaIds } });
    });
  }

  deleteUserData(userId: number): Promise<string[]> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      await em.nativeDelete(PostInsightSchema, { userId });
      await em.nativeDelete(PersonaInsightDaySchema, { userId });
      return [];
    });
  }
}

function toPostInsight(row: PostInsightRow): PostInsight {
  return {
    postId: Number(row.postId),
    userId: Number(row.userId),
    personaId: Number(row.personaId),
    permalink: row.permalink,
    publishedAt: toDate(row.publishedAt),
    fetchedAt: toDate(row.fetchedAt),
    metrics: {
      views: numberOrNull(row.views),
      reach: numberOrNull(row.reach),
      likes: numberOrNull(row.likes),
      comments: numberOrNull(row.comments),
      shares: numberOrNull(row.shares),
      saved: numberOrNull(row.saved),
      total_interactions: numberOrNull(row.totalInteractions),
    },
  };
}

function toDay(row: PersonaInsightDayRow): InsightDay {
  return {
    personaId: Number(row.personaId),
    userId: Number(row.userId),
    date: row.day,
    views: numberOrNull(row.views),
    reach: numberOrNull(row.reach),
    followerCount: numberOrNull(row.followerCount),
    followersCount: numberOrNull(row.followersCount),
    mediaCount: numberOrNull(row.mediaCount),
  };
}
