import {
  NEW_POST_STATE,
  preparedFiles,
  publishJobKey,
  type NewPost,
  type Post,
  type PostChange,
  type PostMedia,
  type PostStatus,
  type PostListQuery,
  type PostRepository,
} from '../../core/publishing/index.js';
import type { Page } from '../../core/shared/index.js';
import { newestFirstPage } from './in-memory-page.js';
import type { InMemoryJobQueue } from './in-memory-job-queue.js';

/** Posts in memory; erasing posts also forgets their jobs in the in-memory queue, as the database adapter deletes their rows. */
export class InMemoryPostRepository implements PostRepository {
  private readonly rows: Post[] = [];
  private nextId = 1;

  constructor(private readonly jobs: InMemoryJobQueue) {}

  async create(post: NewPost, now: Date): Promise<Post> {
    const row: Post = {
      id: this.nextId++,
      userId: post.userId,
      personaId: post.personaId,
      kind: post.kind ?? 'feed',
      caption: post.caption,
      altText: post.altText,
      media: post.media.map(newMedia),
      ...NEW_POST_STATE,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    };
    this.rows.push(row);
    return structuredClone(row);
  }

  async findById(postId: number): Promise<Post | null> {
    const row = this.rows.find((p) => p.id === postId);
    return row ? structuredClone(row) : null;
  }

  async findOwned(userId: number, postId: number): Promise<Post | null> {
    const row = this.rows.find((p) => p.id === postId && p.userId === userId);
    return row ? structuredClone(row) : null;
  }

  async listByPersona(userId: number, personaId: number, { status, kind, ...page }: PostListQuery): Promise<Page<Post>> {
    const rows = this.rows.filter(
      (p) =>
        p.userId === userId &&
        p.personaId === personaId &&
        (status === undefined || p.status === status) &&
        (kind === undefined || p.kind === kind),
    );
    return newestFirstPage(rows, page, (p) => structuredClone(p));
  }

  async update(postId: number, from: readonly PostStatus[], change: PostChange, now: Date): Promise<Post | null> {
    const row = this.rows.find((p) => p.id === postId && from.includes(p.status));
    if (!row) return null;
    const { media, ...fields } = structuredClone(change);
    Object.assign(row, fields, { updatedAt: new Date(now) });
    if (media) row.media = media.map(newMedia);
    return structuredClone(row);
  }

  async saveMediaProgress(
    postId: number,
    position: number,
    progress: Partial<Pick<PostMedia, 'preparedUrl' | 'containerId'>>,
  ): Promise<boolean> {
    const item = this.rows.find((p) => p.id === postId)?.media[position];
    if (item) Object.assign(item, progress);
    return Boolean(item);
  }

  async delete(postId: number, from: readonly PostStatus[]): Promise<boolean> {
    return this.remove((p) => p.id === postId && from.includes(p.status)).length > 0;
  }

  async nextScheduledAt(personaId: number): Promise<Date | null> {
    const times = this.rows
      .filter((p) => p.personaId === personaId && p.status === 'scheduled' && p.scheduledAt)
      .map((p) => p.scheduledAt!.getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  }

  async deleteByPersonas(personaIds: number[]): Promise<string[]> {
    return preparedUrls(this.remove((p) => personaIds.includes(p.personaId)));
  }

  async deleteUserData(userId: number): Promise<string[]> {
    return preparedUrls(this.remove((p) => p.userId === userId));
  }

  async referenced(urls: string[]): Promise<string[]> {
    return preparedUrls(this.rows).filter((url) => urls.includes(url));
  }

  private remove(which: (post: Post) => boolean): Post[] {
    const removed = this.rows.filter(which);
    this.rows.splice(0, this.rows.length, ...this.rows.filter((p) => !which(p)));
    this.jobs.forget(removed.map((p) => publishJobKey(p.id)));
    return removed;
  }
}

function newMedia(item: { mediaId: number; url: string }): PostMedia {
  return { mediaId: item.mediaId, url: item.url, preparedUrl: null, containerId: null };
}

function preparedUrls(posts: Post[]): string[] {
  return [...new Set(posts.flatMap(preparedFiles))];
}
