import { errors, type Clock } from '../../shared/index.js';
import { checkAltText, checkCaption, ownedMedia } from '../post-content.js';
import { EDITABLE, remade, type Post, type PostChange } from '../post.js';
import { requireOwnedPost } from '../post-queue.js';
import type { MediaLibrary } from '../../images/index.js';
import type { PostRepository } from '../ports/post-repository.js';
import type { PostContent } from './create-post.js';

/**
 * Changes the caption, images or alt text of a draft, scheduled or failed post; its status and any
 * queued job stay. What Meta made for the old content (containers) is forgotten.
 */
export class EditPost {
  constructor(
    private readonly library: MediaLibrary,
    private readonly posts: PostRepository,
    private readonly clock: Clock,
  ) {}

  async execute(userId: number, postId: number, edit: Partial<PostContent>): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    if (!EDITABLE.includes(post.status)) throw errors.postNotEditable();
    const change: PostChange = remade(post);
    if (edit.caption !== undefined) {
      checkCaption(edit.caption);
      change.caption = edit.caption;
    }
    if (edit.altText !== undefined) {
      checkAltText(edit.altText);
      change.altText = edit.altText;
    }
    if (edit.media !== undefined) change.media = await ownedMedia(this.library, userId, edit.media);
    const edited = await this.posts.update(post.id, EDITABLE, change, this.clock.now());
    if (edited) return edited;
    await requireOwnedPost(this.posts, userId, postId); // 404 when it went meanwhile
    throw errors.postNotEditable();
  }
}
