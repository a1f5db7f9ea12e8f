import { publish, refusal } from '../post-lifecycle.js';
import type { Post } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

export interface PublishRequest {
  userId: number;
  postId: number;
  /** The request's Idempotency-Key: a repeat of the request that stored it answers the post as it is now. */
  idempotencyKey: string | null;
}

/**
 * Sends a post out now (post-lifecycle's `publish`): it becomes `publishing`, its error and whatever Meta
 * made before are forgotten, and its job runs now (a job queued for later is moved), in one transaction.
 */
export class PublishPost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
  ) {}

  async execute({ userId, postId, idempotencyKey }: PublishRequest): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    if (isRepeat(post, idempotencyKey)) return post;
    const transition = publish(post, idempotencyKey);
    const igUserId = await this.queue.accountOf(post);
    const queued = await this.queue.queue(post, transition, igUserId);
    if (queued) return queued;
    const now = await this.queue.reread(post);
    if (isRepeat(now, idempotencyKey)) return now; // the same request, sent twice at once
    throw refusal('publish');
  }
}

function isRepeat(post: Post, idempotencyKey: string | null): boolean {
  return idempotencyKey !== null && post.publishKey === idempotencyKey;
}
