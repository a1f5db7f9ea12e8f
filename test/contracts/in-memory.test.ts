import { InMemoryInsightsStore } from '../../adapters/in-memory/in-memory-insights-store.js';
import { InMemoryJobQueue } from '../../adapters/in-memory/in-memory-job-queue.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryMediaLibrary } from '../../adapters/in-memory/in-memory-media-library.js';
import { InMemoryMetaDeletionRequests } from '../../adapters/in-memory/in-memory-meta-deletion-requests.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { InMemorySessionStore } from '../../adapters/in-memory/in-memory-session-store.js';
import { InMemoryUsedStateStore } from '../../adapters/in-memory/in-memory-used-state-store.js';
import { InMemoryTransactionRunner } from '../../adapters/in-memory/in-memory-transaction-runner.js';
import { InMemoryUserRepository } from '../../adapters/in-memory/in-memory-user-repository.js';
import { FlexibleRateLimiter } from '../../adapters/rate-limit/flexible-rate-limiter.js';
import { describeInsightsStore } from './insights-store.contract.js';
import { describeInstagramTokenStore } from './instagram-token-store.contract.js';
import { describeMediaLibrary } from './media-library.contract.js';
import { describeJobQueue } from './job-queue.contract.js';
import { describeMetaDeletionRequests } from './meta-deletion-requests.contract.js';
import { describePersonaRepository } from './persona-repository.contract.js';
import { describePostRepository } from './post-repository.contract.js';
import { describeRateLimiter } from './rate-limiter.contract.js';
import { describeSessionStore } from './session-store.contract.js';
import { describeUsedStateStore } from './used-state-store.contract.js';
import { describeUserErasure } from './user-erasure.contract.js';
import { describeUserRepository } from './user-repository.contract.js';

const noop = async () => {};

describeUserRepository('in-memory fake', async () => ({ repo: new InMemoryUserRepository(), teardown: noop }));
describeSessionStore('in-memory fake', async () => {
  const users = new InMemoryUserRepository();
  return { store: new InMemorySessionStore(users), users, teardown: noop };
});
describePersonaRepository('in-memory fake', async () => {
  const tokens = new InMemoryInstagramTokenStore();
  return { personas: new InMemoryPersonaRepository(tokens), tokens, users: new InMemoryUserRepository(), teardown: noop };
});
describeInstagramTokenStore('in-memory fake', async () => ({
  tokens: new InMemoryInstagramTokenStore(),
  users: new InMemoryUserRepository(),
  teardown: noop,
}));
describeRateLimiter('rate-limiter-flexible in memory', async () => {
  const limiter = FlexibleRateLimiter.inMemory();
  return { limiter, sameStore: limiter, teardown: noop };
});
describeMetaDeletionRequests('in-memory fake', async () => ({ requests: new InMemoryMetaDeletionRequests(), teardown: noop }));
describeUsedStateStore('in-memory fake', async () => ({ store: new InMemoryUsedStateStore(), teardown: noop }));
describeJobQueue(
  'in-memory fake',
  async () => {
    const queue = new InMemoryJobQueue();
    return { queue, other: queue, transactions: new InMemoryTransactionRunner(), teardown: noop };
  },
  { rollsBack: false },
);
describeUserErasure(
  'in-memory fakes',
  async () => {
    const users = new InMemoryUserRepository();
    const tokens = new InMemoryInstagramTokenStore();
    const personas = new InMemoryPersonaRepository(tokens);
    const jobs = new InMemoryJobQueue();
    return {
      users,
      sessions: new InMemorySessionStore(users),
      personas,
      tokens,
      posts: new InMemoryPostRepository(jobs),
      jobs,
      transactions: new InMemoryTransactionRunner(),
      teardown: noop,
    };
  },
  { rollsBack: false },
);
describeMediaLibrary('in-memory fake', async () => ({
  library: new InMemoryMediaLibrary(),
  users: new InMemoryUserRepository(),
  teardown: noop,
}));
describePostRepository(
  'in-memory fake',
  async () => {
    const jobs = new InMemoryJobQueue();
    return {
      posts: new InMemoryPostRepository(jobs),
      jobs,
      users: new InMemoryUserRepository(),
      personas: new InMemoryPersonaRepository(new InMemoryInstagramTokenStore()),
      transactions: new InMemoryTransactionRunner(),
      teardown: noop,
    };
  },
  { rollsBack: false },
);
describeInsightsStore('in-memory fake', async () => ({
  store: new InMemoryInsightsStore(),
  users: new InMemoryUserRepository(),
  personas: new InMemoryPersonaRepository(new InMemoryInstagramTokenStore()),
  teardown: noop,
}));
