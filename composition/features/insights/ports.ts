import { InMemoryInsightsStore } from '../../../adapters/in-memory/in-memory-insights-store.js';
import { MikroOrmInsightsStore } from '../../../adapters/persistence/mikro-orm-insights-store.js';
import type { InsightsGraph, InsightsStore } from '../../../core/insights/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';

export const INSIGHTS = {
  InsightsStore: token<InsightsStore>('InsightsStore'),
  InsightsGraph: token<InsightsGraph>('InsightsGraph'),
};

export const INSIGHTS_STORES = {
  insights: store(INSIGHTS.InsightsStore, MikroOrmInsightsStore, () => new InMemoryInsightsStore()),
};
