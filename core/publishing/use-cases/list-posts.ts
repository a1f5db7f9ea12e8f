import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import type { Post, PostKind, PostStatus } from '../post.js';
import type { Page, PageKey } from '../../shared/index.js';
import type { PostRepository } from '../ports/post-repository.js';

/** How many posts a page holds: `limit` defaults to 20 and may be 1–100 (API.md). */
export const POSTS_PAGE = { defaultLimit: 20, maxLimit: 100 } as const;

export interface ListPostsQuery {
  status?: PostStatus;
  kind?: PostKind;
  /** 1–POSTS_PAGE.maxLimit (the edge checks); POSTS_PAGE.defaultLimit when omitted. */
  limit?: number;
  /** The previous page's `next`: this page holds the posts older than it. */
  before?: PageKey;
}

/**
 * A page of the posts of one of the caller's personas, newest first, optionally of one status and/or kind; another user's
 * persona (or none) is persona_not_found. The page is read first: the repository lists only the caller's posts
 * and a post belongs to its persona's user, so a page with posts proves the persona is the caller's, and only
 * an empty page needs the persona read (one statement less on the hot path: GET /api/personas/:id/posts).
 */
export class ListPosts {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly posts: PostRepository,
  ) {}

  async execute(userId: number, personaId: number, query: ListPostsQuery = {}): Promise<Page<Post>> {
    const { status, kind, limit = POSTS_PAGE.defaultLimit, before } = query;
    const page = await this.posts.listByPersona(userId, personaId, { status, kind, limit, before });
    if (page.items.length === 0) await requireOwnedPersona(this.personas, userId, { id: personaId });
    return page;
  }
}
