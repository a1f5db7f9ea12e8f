import type { Post } from '../post.js';
import { requireOwnedPost } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

/** One of the caller's posts; another user's is post_not_found. */
export class GetPost {
  constructor(private readonly posts: PostRepository) {}

  execute(userId: number, postId: number): Promise<Post> {
    return requireOwnedPost(this.posts, userId, postId);
  }
}
