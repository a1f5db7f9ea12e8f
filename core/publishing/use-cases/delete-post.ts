import type { UnnamedFiles } from '../../images/index.js';
import { refusal, remove } from '../post-lifecycle.js';
import { preparedFiles } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

/** Deletes a post (post-lifecycle's `delete`), and its job with it, then the JPEGs prepared for it. */
export class DeletePost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
    private readonly files: UnnamedFiles,
  ) {}

  async execute(userId: number, postId: number): Promise<void> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    if (await this.queue.delete(post, remove(post))) {
      await this.files.remove(preparedFiles(post)); // a file left behind is no reason to answer otherwise
      return;
    }
    await this.queue.reread(post); // 404 when it went meanwhile
    throw refusal('delete');
  }
}
