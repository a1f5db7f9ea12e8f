import { errors } from '../../shared/index.js';
import { EDITABLE } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

/** Deletes a draft, scheduled or failed post, and its queued job with it. */
export class DeletePost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
  ) {}

  async execute(userId: number, postId: number): Promise<void> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    if (!EDITABLE.includes(post.status)) throw errors.postNotEditable();
    if (await this.queue.delete(post, EDITABLE)) return;
    await this.queue.reread(post); // 404 when it went meanwhile
    throw errors.postNotEditable();
  }
}
