/**
 * A post: a caption and 1–10 images a persona publishes to its Instagram account, now or at a time.
 * Which status moves to which is core/post-lifecycle.ts's; `needs_attention`: the outcome is unknown and
 * could not be verified (the user must check Instagram).
 */
export type PostStatus = 'draft' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'needs_attention';

export const POST_STATUSES: readonly PostStatus[] = ['draft', 'scheduled', 'publishing', 'published', 'failed', 'needs_attention'];

/** Why a post failed, as GET shows it (`meta_code`, `meta_subcode`: Meta's, when Meta refused). */
export interface PostError {
  code: string;
  message: string;
  metaCode: number | null;
  metaSubcode: number | null;
}

/** One image of a post, in order. */
export interface PostMedia {
  mediaId: number;
  /** The media row's URL (`/media/<file>`). */
  url: string;
  /** The JPEG made for Instagram (`/media/<file>.jpg`), once the worker made it. */
  preparedUrl: string | null;
  /** Meta's container for this image (a carousel item when the post has several), once made. */
  containerId: string | null;
}

export interface Post {
  id: number;
  userId: number;
  personaId: number;
  status: PostStatus;
  caption: string;
  altText: string | null;
  media: PostMedia[];
  /** The UTC instant it goes out, when scheduled. */
  scheduledAt: Date | null;
  /** What the user entered: `YYYY-MM-DDTHH:mm` in `timeZone` (IANA). */
  localAt: string | null;
  timeZone: string | null;
  /** The container media_publish takes: the single image's, or the carousel's. */
  containerId: string | null;
  igMediaId: string | null;
  permalink: string | null;
  error: PostError | null;
  /** Publishing tries so far. */
  attempts: number;
  /** The Idempotency-Key of the publish request that queued it, if any. */
  publishKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface NewPost {
  userId: number;
  personaId: number;
  caption: string;
  altText: string | null;
  /** In order; each must be a media row of the user (the use case checks). */
  media: { mediaId: number; url: string }[];
}

/** A new post: a draft that nothing has been done with yet. */
export const NEW_POST_STATE = {
  status: 'draft',
  scheduledAt: null,
  localAt: null,
  timeZone: null,
  containerId: null,
  igMediaId: null,
  permalink: null,
  error: null,
  attempts: 0,
  publishKey: null,
  publishedAt: null,
} as const satisfies Partial<Post>;

/** What an update may set; media given replaces the list (containers and prepared files forgotten). */
export type PostChange = Partial<
  Pick<
    Post,
    | 'status'
    | 'caption'
    | 'altText'
    | 'scheduledAt'
    | 'localAt'
    | 'timeZone'
    | 'containerId'
    | 'igMediaId'
    | 'permalink'
    | 'error'
    | 'attempts'
    | 'publishKey'
    | 'publishedAt'
  >
> & { media?: { mediaId: number; url: string }[] };

/** The job that publishes a post: kind, and its dedupe key (one job per post). */
export const PUBLISH_POST_JOB = 'publish_post';
export function publishJobKey(postId: number): string {
  return `post:${postId}`;
}

/**
 * Why a post failed or needs attention (`PostError.code`), with the message shown when Meta gave none.
 * Post data that GET shows, not HTTP errors: none of these is an answer of a request.
 */
export const POST_ERRORS = {
  persona_not_linked: 'The persona is no longer linked to an Instagram account.',
  persona_oauth_required: 'Link this persona to Instagram again.',
  persona_oauth_expired: 'Instagram no longer accepts this persona’s authorization: link it again.',
  media_unavailable: 'An image of this post could not be read.',
  /** Instagram refused an image it downloaded (format, size, aspect ratio, download). */
  media_rejected: 'Instagram refused an image of this post.',
  /** A container ended in ERROR: Meta could not process the images. */
  container_failed: 'Instagram could not process the images of this post.',
  publish_failed: 'Instagram refused the post.',
  /** needs_attention: media_publish may have gone through and nothing could confirm it. */
  publish_unverified: 'Instagram did not confirm whether the post went out: check the account before publishing it again.',
} as const;

export type PostErrorCode = keyof typeof POST_ERRORS;

export function postError(
  code: PostErrorCode,
  message: string = POST_ERRORS[code],
  meta: { metaCode: number | null; metaSubcode: number | null } = { metaCode: null, metaSubcode: null },
): PostError {
  return { code, message, ...meta };
}

/** The change that forgets what Meta and the worker made for the post (containers, prepared files): the same images, made again. */
export function remade(post: Post): PostChange {
  return { containerId: null, media: post.media.map(({ mediaId, url }) => ({ mediaId, url })) };
}
