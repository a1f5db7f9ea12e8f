import type { Media, MediaLibrary } from '../ports/media-library.js';
import type { Page, PageKey } from '../../shared/index.js';

/** How many images a page holds: `limit` defaults to 50 and may be 1–200 (API.md). */
export const MEDIA_PAGE = { defaultLimit: 50, maxLimit: 200 } as const;

export interface ListMediaQuery {
  /** 1–MEDIA_PAGE.maxLimit (the edge checks); MEDIA_PAGE.defaultLimit when omitted. */
  limit?: number;
  /** The previous page's `next`: this page holds the images older than it. */
  before?: PageKey;
}

/** A page of the user's images, newest first. */
export class ListMedia {
  constructor(private readonly library: MediaLibrary) {}

  execute(userId: number, query: ListMediaQuery = {}): Promise<Page<Media>> {
    const { limit = MEDIA_PAGE.defaultLimit, before } = query;
    return this.library.listByUser(userId, { limit, before });
  }
}
