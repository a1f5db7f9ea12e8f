import { errors, message } from '../../shared/index.js';
import { remade, type Post } from '../post.js';
import { OUT_NOW, requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

const FAILED = ['failed'] as const;
const ONLY_FAILED = message('retry_only_failed');

/** Queues a failed post again, now, as publishing it would (its job, which failed, is queued again). */
export class RetryPost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
  ) {}

  async execute(userId: number, postId: number): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    if (post.status !== 'failed') throw errors.postNotPublishable(ONLY_FAILED);
    const igUserId = await this.queue.accountOf(post);
    const queued = await this.queue.queue(post, FAILED, { ...remade(post), ...OUT_NOW }, igUserId);
    if (queued) return queued;
    await this.queue.reread(post); // 404 when it went meanwhile
    throw errors.postNotPublishable(ONLY_FAILED);
  }
}
