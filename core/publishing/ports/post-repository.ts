import type { NewPost, Post, PostChange, PostKind, PostMedia, PostStatus } from '../post.js';
import type { Page, PageRequest, MediaReferences, UserDataStore } from '../../shared/index.js';

export interface PostListQuery extends PageRequest {
  status?: PostStatus;
  kind?: PostKind;
}

/**
 * Posts (ss_post) and their images in order (ss_post_media). Contract: test/contracts/post-repository.contract.ts.
 * Status changes are compare-and-set on the status, so a request and the worker never both win.
 * Whatever deletes posts deletes their jobs with them, here and only here.
 * Erasing a user deletes their posts, post media and the posts' jobs (ss_job rows of `publishJobKey`),
 * and names the prepared JPEGs (MediaReferences: they are files of the MediaStore).
 */
export interface PostRepository extends UserDataStore, MediaReferences {
  create(post: NewPost, now: Date): Promise<Post>;
  findById(postId: number): Promise<Post | null>;
  /** The post when it is the user's; null otherwise (never another user's). */
  findOwned(userId: number, postId: number): Promise<Post | null>;
  /**
   * A page of the persona's posts (of its user), newest first (equal times: the later row first), optionally
   * of one status, of one kind, or both; `next` is null on the last page. Keyset paging (see PageKey): posts added between two
   * reads never shift or repeat the later pages.
   */
  listByPersona(userId: number, personaId: number, query: PostListQuery): Promise<Page<Post>>;
  /**
   * Compare-and-set: applies `change` (and updatedAt = now) when the post's status is one of `from`, in one
   * statement the adapter owns (two racing moves: one wins); the post after, or null when it is gone or in
   * another status (nothing changed). `from` and `change` come from core/post-lifecycle.ts's transitions.
   * Joins the caller's transaction.
   */
  update(postId: number, from: readonly PostStatus[], change: PostChange, now: Date): Promise<Post | null>;
  /** Records what the worker made for image `position` (0-based); false when the post or image is gone. */
  saveMediaProgress(postId: number, position: number, progress: Partial<Pick<PostMedia, 'preparedUrl' | 'containerId'>>): Promise<boolean>;
  /**
   * Deletes the post, its media rows and its job (ss_job row of `publishJobKey`: no job outlives its post)
   * when its status is one of `from` (compare-and-set). Joins the caller's transaction.
   */
  delete(postId: number, from: readonly PostStatus[]): Promise<boolean>;
  /** The earliest scheduledAt of the persona's `scheduled` posts. */
  nextScheduledAt(personaId: number): Promise<Date | null>;
  /** Deletes every post of these personas with their media rows and jobs; returns the prepared files they named. */
  deleteByPersonas(personaIds: number[]): Promise<string[]>;
}
