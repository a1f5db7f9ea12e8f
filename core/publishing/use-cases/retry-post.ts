import { refusal, retry } from '../post-lifecycle.js';
import type { Post } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

/** Queues a failed post again, now, as publishing it would (its job, which failed, is queued again). */
export class RetryPost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
  ) {}

  async execute(userId: number, postId: number): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    const transition = retry(post);
    const igUserId = await this.queue.accountOf(post);
    const queued = await this.queue.queue(post, transition, igUserId);
    if (queued) return queued;
    await this.queue.reread(post); // 404 when it went meanwhile
    throw refusal('retry');
  }
}
