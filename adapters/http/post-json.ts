import { POST_KINDS, POST_STATUSES, type Post } from '../../core/publishing/index.js';
import { wordsOf, type Language } from './messages/catalogue.js';
import { everyField } from './schemas.js';

/** A post as the API shows it (snake_case, ISO dates, `scheduled_at` in UTC), its error worded in `language`. */
export function postJson(post: Post, language: Language) {
  const { error } = post;
  return {
    id: post.id,
    persona_id: post.personaId,
    kind: post.kind,
    status: post.status,
    caption: post.caption,
    alt_text: post.altText,
    media: post.media.map((item) => ({ media_id: item.mediaId, url: item.url })),
    scheduled_at: iso(post.scheduledAt),
    local_at: post.localAt,
    time_zone: post.timeZone,
    ig_media_id: post.igMediaId,
    permalink: post.permalink,
    error: error && {
      code: error.code,
      message: wordsOf(error.said, language),
      meta_code: error.metaCode,
      meta_subcode: error.metaSubcode,
    },
    attempts: post.attempts,
    created_at: post.createdAt.toISOString(),
    updated_at: post.updatedAt.toISOString(),
    published_at: iso(post.publishedAt),
  };
}

export function iso(date: Date | null): string | null {
  return date && date.toISOString();
}

const nullableString = { type: ['string', 'null'] };
const nullableInteger = { type: ['integer', 'null'] };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };

/** What a user of the app writes, for the examples of /openapi.json. */
export const CAPTION_EXAMPLE = '성수동 카페에서 보낸 오후 ☕ #카페투어 #성수';
export const ALT_TEXT_EXAMPLE = '창가 자리에서 라떼를 든 지우';

export const POST_SCHEMA = everyField({
  id: { type: 'integer' },
  persona_id: { type: 'integer' },
  kind: { enum: POST_KINDS, description: 'feed: on the profile; story: one image, no caption, shown for 24 hours' },
  status: { enum: POST_STATUSES },
  caption: { type: 'string', examples: [CAPTION_EXAMPLE] },
  alt_text: { ...nullableString, examples: [ALT_TEXT_EXAMPLE] },
  media: {
    type: 'array',
    items: everyField({ media_id: { type: 'integer' }, url: { type: 'string' } }),
  },
  scheduled_at: { ...nullableDateTime, description: 'UTC' },
  local_at: { ...nullableString, description: 'YYYY-MM-DDTHH:mm as entered, in time_zone' },
  time_zone: nullableString,
  ig_media_id: nullableString,
  permalink: nullableString,
  error: everyField(
    { code: { type: 'string' }, message: { type: 'string' }, meta_code: nullableInteger, meta_subcode: nullableInteger },
    { nullable: true },
  ),
  attempts: { type: 'integer' },
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' },
  published_at: nullableDateTime,
});
