import { message, type Message, type MessageKey } from '../shared/index.js';

/**
 * What a post is on Instagram: `feed`, a caption and 1–10 images on the profile; `story`, one image and no
 * caption, shown for 24 hours (checkStory). Fixed when the post is made.
 */
export type PostKind = 'feed' | 'story';

export const POST_KINDS: readonly PostKind[] = ['feed', 'story'];

/**
 * A post: a caption and 1–10 images (a story: one image) a persona publishes to its Instagram account, now or at a time.
 * Which status moves to which is core/post-lifecycle.ts's; `needs_attention`: the outcome is unknown and
 * could not be verified (the user must check Instagram).
 */
export type PostStatus = 'draft' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'needs_attention';

export const POST_STATUSES: readonly PostStatus[] = ['draft', 'scheduled', 'publishing', 'published', 'failed', 'needs_attention'];

/**
 * Why a post failed (`code`), and what to tell its user: a message of the edge's catalogues (no words
 * here), Meta's own words a value of it when Meta refused; `metaCode`, `metaSubcode`: Meta's, when it answered.
 */
export interface PostError {
  code: PostErrorCode;
  said: Message;
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
  kind: PostKind;
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
  /** `feed` when omitted. */
  kind?: PostKind;
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
/** The files that are the post's own: the JPEGs prepared for Instagram (its images' files are the media library's). */
export function preparedFiles(post: Post): string[] {
  return post.media.flatMap((item) => (item.preparedUrl === null ? [] : [item.preparedUrl]));
}

export const PUBLISH_POST_JOB = 'publish_post';
export function publishJobKey(postId: number): string {
  return `post:${postId}`;
}

/**
 * Why a post failed or needs attention (`PostError.code`), with the message each says unless told
 * otherwise. Post data that GET shows, not HTTP errors: none of these is an answer of a request.
 */
export const POST_ERRORS = {
  persona_not_linked: 'post_persona_not_linked',
  persona_oauth_required: 'persona_link_again',
  persona_oauth_expired: 'post_persona_oauth_expired',
  media_unavailable: 'post_media_unavailable',
  /** Instagram refused an image it downloaded (format, size, aspect ratio); a failed download is retried, not this. */
  media_rejected: 'post_media_rejected',
  /** A container ended in ERROR: Meta could not process the images. */
  container_failed: 'post_container_failed',
  publish_failed: 'post_publish_failed',
  /** needs_attention: media_publish may have gone through and nothing could confirm it. */
  publish_unverified: 'post_publish_unverified',
} as const satisfies Record<string, MessageKey>;

export type PostErrorCode = keyof typeof POST_ERRORS;

const NO_META = { metaCode: null, metaSubcode: null };

export function postError(
  code: PostErrorCode,
  said: Message = message(POST_ERRORS[code]),
  meta: { metaCode: number | null; metaSubcode: number | null } = NO_META,
): PostError {
  return { code, said, ...meta };
}

/** Meta's own words for a refusal, passed on as Meta gave them. */
export function metaSaid(words: string): Message {
  return message('post_meta_said', { said: words });
}

/** The error in a line, for the job's last error and logs: its code, and Meta's words or the message named. */
export function describePostError({ code, said }: PostError): string {
  if (said.key === 'post_meta_said') return `${code}: ${said.params?.said}`;
  return said.key === POST_ERRORS[code] ? code : `${code} (${said.key})`;
}

/** The change that forgets what Meta and the worker made for the post (containers, prepared files): the same images, made again. */
export function remade(post: Post): PostChange {
  return { containerId: null, media: post.media.map(({ mediaId, url }) => ({ mediaId, url })) };
}
