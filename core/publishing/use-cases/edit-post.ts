import type { Clock } from '../../shared/index.js';
import { checkAltText, checkCaption, checkKindRules, ownedMedia } from '../post-content.js';
import { edit as editContent, ensure, refusal } from '../post-lifecycle.js';
import { preparedFiles, type Post, type PostChange } from '../post.js';
import { requireOwnedPost } from '../post-queue.js';
import type { MediaLibrary, UnnamedFiles } from '../../images/index.js';
import type { PostRepository } from '../ports/post-repository.js';
import type { PostContent } from './create-post.js';

/**
 * Changes the caption, images or alt text of a post (post-lifecycle's `edit`); its status and any
 * queued job stay. What was made for the old content (containers, prepared JPEGs) is forgotten, and
 * the JPEGs removed. The kind stays what it was made as: a story edited into more images or a caption is
 * refused (story_invalid).
 */
export class EditPost {
  constructor(
    private readonly library: MediaLibrary,
    private readonly posts: PostRepository,
    private readonly clock: Clock,
    private readonly files: UnnamedFiles,
  ) {}

  async execute(userId: number, postId: number, edit: Partial<PostContent>): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    ensure('edit', post); // refused before the content is checked
    const content: Pick<PostChange, 'caption' | 'altText' | 'media'> = {};
    if (edit.caption !== undefined) {
      checkCaption(edit.caption);
      content.caption = edit.caption;
    }
    if (edit.altText !== undefined) {
      checkAltText(edit.altText);
      content.altText = edit.altText;
    }
    const mediaCount = edit.media?.length ?? post.media.length;
    checkKindRules(post.kind, { caption: content.caption ?? post.caption, mediaCount });
    if (edit.media !== undefined) content.media = await ownedMedia(this.library, userId, edit.media);
    const { from, change } = editContent(post, content);
    const edited = await this.posts.update(post.id, from, change, this.clock.now());
    if (edited) {
      await this.files.remove(preparedFiles(post));
      return edited;
    }
    await requireOwnedPost(this.posts, userId, postId); // 404 when it went meanwhile
    throw refusal('edit');
  }
}
