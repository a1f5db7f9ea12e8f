import { GetPersonaInsights, GetPostInsights, type PersonaInsights, type PostInsight } from '../../../core/insights/index.js';
import { errors } from '../../../core/shared/index.js';
import { iso } from '../post-json.js';
import { ID_PARAMS } from '../path-params.js';
import { defineRoute, routeModule } from '../route.js';
import { everyField, ok } from '../schemas.js';

const COUNT = { type: ['integer', 'null'], description: 'null when Meta gave no number' } as const;
const METRICS_SCHEMA = everyField({
  views: COUNT,
  reach: COUNT,
  likes: COUNT,
  comments: COUNT,
  shares: COUNT,
  saved: COUNT,
  total_interactions: COUNT,
});
const POST_INSIGHTS_SCHEMA = everyField({ fetched_at: { type: 'string', format: 'date-time' }, metrics: METRICS_SCHEMA });
const PERSONA_INSIGHTS_SCHEMA = everyField({
  followers_count: COUNT,
  media_count: COUNT,
  days: {
    type: 'array',
    items: everyField({ date: { type: 'string', format: 'date' }, views: COUNT, reach: COUNT, follower_count: COUNT }),
  },
  top_posts: {
    type: 'array',
    items: everyField({ post_id: { type: 'integer' }, permalink: { type: ['string', 'null'] }, views: COUNT, total_interactions: COUNT }),
  },
});

const TOKEN_ERRORS = {
  persona_oauth_expired: 'Meta refused the persona’s token: link it again',
  insights_permission_missing: 'the link was made without the insights permission: link it again',
  upstream_unavailable: 'Meta did not answer and nothing is stored yet',
  rate_limited: 'Meta rate-limited the account and nothing is stored yet (Retry-After)',
};

function postInsightsJson({ fetchedAt, metrics }: PostInsight) {
  return { fetched_at: iso(fetchedAt), metrics };
}

function personaInsightsJson(insights: PersonaInsights) {
  return {
    followers_count: insights.followersCount,
    media_count: insights.mediaCount,
    days: insights.days.map((day) => ({ date: day.date, views: day.views, reach: day.reach, follower_count: day.followerCount })),
    top_posts: insights.topPosts.map((post) => ({
      post_id: post.postId,
      permalink: post.permalink,
      views: post.metrics.views,
      total_interactions: post.metrics.total_interactions,
    })),
  };
}

export const insightsRoutes = routeModule({ getPostInsights: GetPostInsights, getPersonaInsights: GetPersonaInsights }, (deps) => [
  defineRoute({
    method: 'GET',
    path: '/api/posts/:id/insights',
    operationId: 'getPostInsights',
    errors: {
      post_not_found: 'another user’s post too',
      post_not_published: '',
      persona_not_linked: 'unlinked before any answer was stored',
      ...TOKEN_ERRORS,
    },
    tag: 'insights',
    summary: 'A published post’s metrics: Meta’s answer, asked at most every INSIGHTS_REFRESH_MINUTES, else the stored one',
    auth: true,
    params: ID_PARAMS,
    notFound: errors.postNotFound,
    responses: { 200: { description: 'The metrics and when Meta gave them', schema: ok('insights', POST_INSIGHTS_SCHEMA) } },
    async handler(ctx, { userId, params }) {
      ctx.body = { ok: true, insights: postInsightsJson(await deps.getPostInsights.execute(userId, Number(params.id))) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/personas/:id/insights',
    operationId: 'getPersonaInsights',
    errors: { persona_not_found: '', persona_not_linked: '', invalid_request: 'days other than 7 or 28' },
    tag: 'insights',
    summary: 'The persona’s account over the last 7 or 28 UTC days, from the database (the daily job keeps it), and its top posts by views',
    auth: true,
    params: ID_PARAMS,
    notFound: errors.personaNotFound,
    query: {
      type: 'object',
      additionalProperties: false,
      properties: { days: { type: 'integer', enum: [7, 28], default: 28, description: 'the window, in UTC days (today included)' } },
    },
    responses: {
      200: { description: 'The stored days, the latest totals, the top posts', schema: ok('insights', PERSONA_INSIGHTS_SCHEMA) },
    },
    async handler(ctx, { userId, params, query }) {
      const insights = await deps.getPersonaInsights.execute(userId, Number(params.id), query.days === 7 ? 7 : 28);
      ctx.body = { ok: true, insights: personaInsightsJson(insights) };
    },
  }),
]);
