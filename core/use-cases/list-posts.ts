import { requireOwnedPersona } from '../owned-persona.js';
import type { Post, PostStatus } from '../post.js';
import type { Page, PageKey } from '../ports/page.js';
import type { PersonaRepository } from '../ports/persona-repository.js';
import type { PostRepository } from '../ports/post-repository.js';

/** How many posts a page holds: `limit` defaults to 20 and may be 1–100 (API.md). */
export const POSTS_PAGE = { defaultLimit: 20, maxLimit: 100 } as const;

export interface ListPostsQuery {
  status?: PostStatus;
  /** 1–POSTS_PAGE.maxLimit (the edge checks); POSTS_PAGE.defaultLimit when omitted. */
  limit?: number;
  /** The previous page's `next`: this page holds the posts older than it. */
  before?: PageKey;
}

/** A page of the posts of one of the caller's personas, newest first, optionally of one status. */
export class ListPosts {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly posts: PostRepository,
  ) {}

  async execute(userId: number, personaId: number, query: ListPostsQuery = {}): Promise<Page<Post>> {
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });
    const { status, limit = POSTS_PAGE.defaultLimit, before } = query;
    return this.posts.listByPersona(userId, persona.id, { status, limit, before });
  }
}
