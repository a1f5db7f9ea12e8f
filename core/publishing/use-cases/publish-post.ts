import { errors } from '../../shared/index.js';
import { EDITABLE, remade, type Post } from '../post.js';
import { OUT_NOW, requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

export interface PublishRequest {
  userId: number;
  postId: number;
  /** The request's Idempotency-Key: a repeat of the request that stored it answers the post as it is now. */
  idempotencyKey: string | null;
}

/**
 * Sends a draft, scheduled or failed post out now: it becomes `publishing`, its error and whatever Meta
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
    if (!EDITABLE.includes(post.status)) throw errors.postNotPublishable();
    const igUserId = await this.queue.accountOf(post);
    const change = { ...remade(post), ...OUT_NOW, publishKey: idempotencyKey };
    const queued = await this.queue.queue(post, EDITABLE, change, igUserId);
    if (queued) return queued;
    const now = await this.queue.reread(post);
    if (isRepeat(now, idempotencyKey)) return now; // the same request, sent twice at once
    throw errors.postNotPublishable();
  }
}

function isRepeat(post: Post, idempotencyKey: string | null): boolean {
  return idempotencyKey !== null && post.publishKey === idempotencyKey;
}
