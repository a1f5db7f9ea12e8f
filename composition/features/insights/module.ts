import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { insightsRoutes } from '../../../adapters/http/routes/insights-routes.js';
import { GotInsightsGraph } from '../../../adapters/meta/got-insights-graph.js';
import { FakeInsightsGraph } from '../../../adapters/mock-providers/fake-insights-graph.js';
import type { FakeInstagramLoginApi } from '../../../adapters/mock-providers/fake-instagram-login-api.js';
import type { FakeMetaGraph } from '../../../adapters/mock-providers/fake-meta-graph.js';
import {
  CaptureStoryInsights,
  CollectPersonaInsights,
  GetPersonaInsights,
  GetPostInsights,
  InsightsFetch,
  InsightsTokens,
  PERSONA_INSIGHTS_JOB,
  PLAN_INSIGHTS_JOB,
  PlanDailyInsights,
  STORY_INSIGHTS_JOB,
  type InsightsGraph,
  type InsightsStore,
} from '../../../core/insights/index.js';
import { PageTokens, type InstagramLoginApi, type InstagramTokenStore, type MetaGraph } from '../../../core/instagram/index.js';
import type { JobQueue } from '../../../core/jobs/index.js';
import type { PersonaRepository } from '../../../core/personas/index.js';
import type { PostRepository } from '../../../core/publishing/index.js';
import type { Clock } from '../../../core/shared/index.js';
import { APP } from '../../app-tokens.js';
import type { Config } from '../../config.js';
import { binder } from '../feature.js';
import { INSTAGRAM } from '../instagram/ports.js';
import { JOBS } from '../jobs/ports.js';
import { PERSONAS } from '../personas/ports.js';
import { PUBLISHING } from '../publishing/ports.js';
import { INSIGHTS as T, INSIGHTS_STORES } from './ports.js';

/**
 * Insights: a post's metrics on request, a persona's days from the daily jobs. The Graph client gets both
 * link paths' endpoints: the Facebook Graph with META_APP_SECRET's proof, the Instagram Graph with its
 * version and no proof. MOCK_PROVIDERS=1: the fake, which knows the tokens both mock sign-ins handed out.
 */
export const insightsModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  const P = PERSONAS.PersonaRepository;
  stores(INSIGHTS_STORES);
  options.bind(T.InsightsGraph).toResolvedValue(
    (c: Config, logger: Logger, meta: MetaGraph, instagram: InstagramLoginApi) =>
      c.mockProviders
        ? new FakeInsightsGraph((token) =>
            token.login === 'instagram'
              ? (instagram as FakeInstagramLoginApi).igUserOfToken(token.value)
              : (meta as FakeMetaGraph).igUserOfPageToken(token.value),
          )
        : new GotInsightsGraph(
            {
              facebook: { baseUrl: c.meta.graphBaseUrl, appSecret: c.meta.appSecret },
              instagram: { baseUrl: `${c.instagram.graphUrl}/${c.instagram.apiVersion}`, appSecret: null },
            },
            logger,
          ),
    [APP.Config, APP.Logger, INSTAGRAM.MetaGraph, INSTAGRAM.InstagramLoginApi],
  );

  useCase(
    InsightsTokens,
    [PageTokens, INSTAGRAM.InstagramTokenStore, APP.Clock],
    (pages: PageTokens, tokens: InstagramTokenStore, clock: Clock) => new InsightsTokens(pages, tokens, clock),
  );
  useCase(
    InsightsFetch,
    [T.InsightsGraph, T.InsightsStore, INSTAGRAM.InstagramTokenStore, APP.Clock],
    (graph: InsightsGraph, store: InsightsStore, tokens: InstagramTokenStore, clock: Clock) =>
      new InsightsFetch(graph, store, tokens, clock),
  );
  useCase(
    GetPostInsights,
    [PUBLISHING.PostRepository, P, T.InsightsStore, InsightsTokens, InsightsFetch, APP.Clock, APP.Logger, APP.Config],
    (
      posts: PostRepository,
      p: PersonaRepository,
      store: InsightsStore,
      tokens: InsightsTokens,
      fetcher: InsightsFetch,
      clock: Clock,
      logger: Logger,
      c: Config,
    ) => new GetPostInsights(posts, p, store, tokens, fetcher, clock, logger, c.insightsRefreshMs),
  );
  useCase(
    GetPersonaInsights,
    [P, T.InsightsStore, APP.Clock],
    (p: PersonaRepository, store: InsightsStore, clock: Clock) => new GetPersonaInsights(p, store, clock),
  );
  useCase(
    PlanDailyInsights,
    [P, JOBS.JobQueue, APP.Clock],
    (p: PersonaRepository, jobs: JobQueue, clock: Clock) => new PlanDailyInsights(p, jobs, clock),
  );
  useCase(
    CollectPersonaInsights,
    [P, PUBLISHING.PostRepository, T.InsightsStore, InsightsTokens, InsightsFetch, JOBS.JobQueue, APP.Clock, APP.Logger],
    (
      p: PersonaRepository,
      posts: PostRepository,
      store: InsightsStore,
      tokens: InsightsTokens,
      fetcher: InsightsFetch,
      jobs: JobQueue,
      clock: Clock,
      logger: Logger,
    ) => new CollectPersonaInsights(p, posts, store, tokens, fetcher, jobs, clock, logger),
  );
  useCase(
    CaptureStoryInsights,
    [PUBLISHING.PostRepository, P, InsightsTokens, InsightsFetch, APP.Logger],
    (posts: PostRepository, p: PersonaRepository, tokens: InsightsTokens, fetcher: InsightsFetch, logger: Logger) =>
      new CaptureStoryInsights(posts, p, tokens, fetcher, logger),
  );
  options
    .bind(APP.JobHandler)
    .toResolvedValue((plan: PlanDailyInsights) => ({ kind: PLAN_INSIGHTS_JOB, handle: plan.handle }), [PlanDailyInsights]);
  options
    .bind(APP.JobHandler)
    .toResolvedValue(
      (collect: CollectPersonaInsights) => ({ kind: PERSONA_INSIGHTS_JOB, handle: collect.handle }),
      [CollectPersonaInsights],
    );

  options
    .bind(APP.JobHandler)
    .toResolvedValue((capture: CaptureStoryInsights) => ({ kind: STORY_INSIGHTS_JOB, handle: capture.handle }), [CaptureStoryInsights]);

  routes(insightsRoutes);
});
