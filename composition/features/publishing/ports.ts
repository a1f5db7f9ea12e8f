import type { InMemoryJobQueue } from '../../../adapters/in-memory/in-memory-job-queue.js';
import { InMemoryPostRepository } from '../../../adapters/in-memory/in-memory-post-repository.js';
import { MikroOrmPostRepository } from '../../../adapters/persistence/mikro-orm-post-repository.js';
import type { InstagramPublisher, PostRepository } from '../../../core/publishing/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';
import { JOBS } from '../jobs/ports.js';

export const PUBLISHING = {
  PostRepository: token<PostRepository>('PostRepository'),
  InstagramPublisher: token<InstagramPublisher>('InstagramPublisher'),
};

export const PUBLISHING_STORES = {
  posts: store(
    PUBLISHING.PostRepository,
    MikroOrmPostRepository,
    (get) => new InMemoryPostRepository(get(JOBS.JobQueue) as InMemoryJobQueue),
  ),
};
