import type { InstagramLogin } from '../../personas/index.js';
import type { PostKind } from '../post.js';

/**
 * The token a persona's link publishes with, and so the Graph that takes it: a Facebook Login link's Page
 * token (the Facebook Graph, with appsecret_proof) or an Instagram Login link's Instagram user token (the
 * Instagram Graph). Never logged.
 */
export interface PublishingToken {
  value: string;
  login: InstagramLogin;
}

/** A container's state as Meta reports it (`status_code`). */
export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

/** One image of a post: Meta fetches `imageUrl` itself (a public HTTPS JPEG). */
export interface ImageContainerInput {
  imageUrl: string;
  /** Only for a single-image post (a carousel's caption goes on the carousel container). */
  caption?: string;
  altText?: string;
  /**
   * `story`: the container is a story's (`media_type=STORIES`), which takes no caption and no alt text (any
   * given are not sent); a feed image otherwise. Only createImageContainer is given it.
   */
  kind?: PostKind;
}

/** Posts made in the rolling window and how many are allowed (`content_publishing_limit`). */
export interface PublishingQuota {
  used: number;
  total: number;
  windowSeconds: number;
}

/**
 * A failed call, as the adapter classified Meta's answer (Meta's numeric codes are the adapter's to read):
 * - `transient`: Meta is busy or down: retry with back-off;
 * - `token_expired`: Meta refused the token: the persona must be linked again;
 * - `rejected_media`: Meta refused an image it downloaded (format, size, aspect ratio, download);
 * - `unknown_outcome`: `media_publish` got no answer or a 5xx: the post may be live, so read the container before anything else;
 * - `permanent`: any other refusal, with Meta's readable message.
 */
export type PublishFailureKind = 'transient' | 'token_expired' | 'rejected_media' | 'unknown_outcome' | 'permanent';

export class PublishFailure extends Error {
  constructor(
    readonly kind: PublishFailureKind,
    message: string,
    readonly metaCode: number | null = null,
    readonly metaSubcode: number | null = null,
  ) {
    super(message);
    this.name = 'PublishFailure';
  }
}

/**
 * The Instagram content-publishing calls, made with a persona's PublishingToken on the Graph its link
 * goes through (the same calls on either). Every failure is a PublishFailure.
 */
export interface InstagramPublisher {
  /** POST /{ig_user_id}/media with image_url, caption, alt_text (a story: media_type=STORIES and image_url only) → the container id. */
  createImageContainer(token: PublishingToken, igUserId: string, image: ImageContainerInput): Promise<string>;
  /** The same with `is_carousel_item=true` (no caption). */
  createCarouselItem(token: PublishingToken, igUserId: string, image: ImageContainerInput): Promise<string>;
  /** POST /{ig_user_id}/media with media_type=CAROUSEL and 2–10 `children` → the container id. */
  createCarouselContainer(token: PublishingToken, igUserId: string, children: string[], caption: string): Promise<string>;
  /** GET /{container_id}?fields=status_code. */
  containerStatus(token: PublishingToken, containerId: string): Promise<ContainerStatus>;
  /** POST /{ig_user_id}/media_publish with creation_id → the Instagram media id. Never retried here. */
  publish(token: PublishingToken, igUserId: string, containerId: string): Promise<string>;
  /** GET /{media_id}?fields=permalink. */
  permalink(token: PublishingToken, mediaId: string): Promise<string>;
  /** GET /{ig_user_id}/content_publishing_limit?fields=quota_usage,config. */
  publishingQuota(token: PublishingToken, igUserId: string): Promise<PublishingQuota>;
  /** GET /{ig_user_id}?fields=username → the account's username: whether Meta still takes the token for it. */
  checkAccount(token: PublishingToken, igUserId: string): Promise<string>;
}
