import type { InsightDay, InsightsStore, PostInsight } from '../../core/insights/index.js';

/** Copies in and out, as a database would; orders as the MikroORM store does. */
export class InMemoryInsightsStore implements InsightsStore {
  private readonly posts = new Map<number, PostInsight>();
  private readonly claims = new Map<number, Date>();
  private readonly days = new Map<string, InsightDay>();

  async savePost(insight: PostInsight): Promise<void> {
    this.posts.set(insight.postId, structuredClone(insight));
    this.claims.delete(insight.postId);
  }

  async claimRefresh(postId: number, staleAt: Date, now: Date, holdMs: number): Promise<boolean> {
    const stored = this.posts.get(postId);
    const claimed = this.claims.get(postId);
    if (!stored || stored.fetchedAt > staleAt || (claimed && claimed > now)) return false;
    this.claims.set(postId, new Date(now.getTime() + holdMs));
    return true;
  }

  async findPost(postId: number): Promise<PostInsight | null> {
    const found = this.posts.get(postId);
    return found ? structuredClone(found) : null;
  }

  async topPosts(personaId: number, since: Date, limit: number): Promise<PostInsight[]> {
    return [...this.posts.values()]
      .filter((insight) => insight.personaId === personaId && insight.publishedAt >= since)
      .sort(
        (a, b) =>
          (b.metrics.views ?? -1) - (a.metrics.views ?? -1) || b.publishedAt.getTime() - a.publishedAt.getTime() || b.postId - a.postId,
      )
      .slice(0, limit)
      .map((insight) => structuredClone(insight));
  }

  async saveDay(day: InsightDay): Promise<void> {
    this.days.set(`${day.personaId}:${day.date}`, { ...day });
  }

  async listDays(personaId: number, from: string, to: string): Promise<InsightDay[]> {
    return [...this.days.values()]
      .filter((day) => day.personaId === personaId && day.date >= from && day.date <= to)
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((day) => ({ ...day }));
  }

  async latestCounts(personaId: number): Promise<InsightDay | null> {
    const known = [...this.days.values()]
      .filter((day) => day.personaId === personaId && (day.followersCount !== null || day.mediaCount !== null))
      .sort((a, b) => b.date.localeCompare(a.date));
    return known[0] ? { ...known[0] } : null;
  }

  async deleteByPersonas(personaIds: number[]): Promise<void> {
    for (const [key, insight] of this.posts) if (personaIds.includes(insight.personaId)) this.posts.delete(key);
    for (const [key, day] of this.days) if (personaIds.includes(day.personaId)) this.days.delete(key);
  }

  async deleteUserData(userId: number): Promise<string[]> {
    for (const [key, insight] of this.posts) if (insight.userId === userId) this.posts.delete(key);
    for (const [key, day] of this.days) if (day.userId === userId) this.days.delete(key);
    return [];
  }
}
