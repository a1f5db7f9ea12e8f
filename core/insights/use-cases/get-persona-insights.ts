import { errors, type Clock } from '../../shared/index.js';
import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { addDays, startOfDay, utcDate, type InsightDay, type PostInsight } from '../insights.js';
import type { InsightsStore } from '../ports/insights-store.js';

/** How many posts `topPosts` names. */
export const TOP_POSTS = 10;

export interface PersonaInsights {
  followersCount: number | null;
  mediaCount: number | null;
  /** The stored days of the window, oldest first (days the job has not stored are absent). */
  days: InsightDay[];
  /** The persona's posts published in the window, most views first. */
  topPosts: PostInsight[];
}

/**
 * A persona's account over the last `days` UTC days (today included), from the database alone: the
 * daily job stored it, so no Meta call is made on this path. 409 persona_not_linked.
 */
export class GetPersonaInsights {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly store: InsightsStore,
    private readonly clock: Clock,
  ) {}

  async execute(userId: number, personaId: number, days: 7 | 28): Promise<PersonaInsights> {
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });
    if (!persona.instagram) throw errors.personaNotLinked();
    const today = utcDate(this.clock.now());
    const from = addDays(today, -(days - 1));
    const rows = await this.store.listDays(persona.id, from, today);
    const counts = await this.store.latestCounts(persona.id);
    const topPosts = await this.store.topPosts(persona.id, startOfDay(from), TOP_POSTS);
    return { followersCount: counts?.followersCount ?? null, mediaCount: counts?.mediaCount ?? null, days: rows, topPosts };
  }
}
