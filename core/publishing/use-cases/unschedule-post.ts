import { refusal, unschedule } from '../post-lifecycle.js';
import type { Post } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

/** A scheduled post goes back to draft, its job cancelled with it; a draft or failed post is answered as it is. */
export class UnschedulePost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
  ) {}

  async execute(userId: number, postId: number): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    const transition = unschedule(post);
    if (!transition) return post;
    const draft = await this.queue.withdraw(post, transition);
    if (draft) return draft;
    const now = await this.queue.reread(post);
    if (unschedule(now) === null) return now;
    throw refusal('unschedule');
  }
}
