import { errors } from '../../../core/shared/index.js';
import {
  POST_KINDS,
  POST_LIMITS,
  POST_STATUSES,
  type Post,
  CreatePost,
  DeletePost,
  EditPost,
  GetPost,
  ListPosts,
  POSTS_PAGE,
  PublishPost,
  RetryPost,
  SchedulePost,
  UnschedulePost,
} from '../../../core/publishing/index.js';
import { GetInstagramStatus, type InstagramStatus } from '../../../core/instagram/index.js';
import type { AppContext } from '../app-state.js';
import { keyOfCursor, pageJson, pageQueryProperties, pageSchema } from '../page-cursor.js';
import { preferredLanguage } from '../messages/catalogue.js';
import { ID_PARAMS } from '../path-params.js';
import { ALT_TEXT_EXAMPLE, CAPTION_EXAMPLE, iso, POST_SCHEMA, postJson } from '../post-json.js';
import { defineRoute, routeModule } from '../route.js';
import { everyField, ok } from '../schemas.js';

const CONTENT_PROPERTIES = {
  caption: {
    type: 'string',
    description: `at most ${POST_LIMITS.captionChars} characters, ${POST_LIMITS.hashtags} hashtags, ${POST_LIMITS.mentions} mentions`,
    examples: [CAPTION_EXAMPLE],
  },
  media: {
    type: 'array',
    minItems: POST_LIMITS.minMedia,
    maxItems: POST_LIMITS.maxMedia,
    uniqueItems: true,
    items: { type: 'integer', minimum: 1, maximum: 2147483647 },
    description: 'ids of the caller’s media library, in order',
    examples: [[12, 13]],
  },
  alt_text: { type: ['string', 'null'], maxLength: POST_LIMITS.altTextChars, examples: [ALT_TEXT_EXAMPLE] },
} as const;
const contentBody = <const R extends readonly (keyof typeof CONTENT_PROPERTIES)[]>(required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties: CONTENT_PROPERTIES }) as const;
const KIND = { enum: POST_KINDS, description: 'feed (the default) or story' } as const;
/** A new post: a feed post needs its caption; a story may leave it out (it has none: story_invalid otherwise). */
const NEW_POST_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['media'],
  properties: { kind: KIND, ...CONTENT_PROPERTIES },
  if: { properties: { kind: { const: 'story' } }, required: ['kind'] },
  then: {},
  else: { required: ['caption'], properties: { caption: CONTENT_PROPERTIES.caption } },
} as const;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const POST_ANSWER = ok('post', POST_SCHEMA);
const POST_NOT_FOUND = { post_not_found: 'another user’s post too' };
const CONTENT_INVALID = {
  caption_too_long: '> 2,200 characters',
  too_many_hashtags: '> 30',
  too_many_mentions: '> 20',
  media_not_found: '',
  story_invalid: 'a story with more than one image or with a caption',
};
const NOT_EDITABLE = { post_not_editable: 'the post is publishing, published or needs attention' };
const QUEUE_REFUSED = {
  persona_oauth_expired: 'the persona’s link must be renewed first',
  ...POST_NOT_FOUND,
  post_not_publishable: 'publishing, published or needs attention',
  persona_not_linked: '',
};

const QUOTA_SCHEMA = everyField(
  { used: { type: 'integer' }, total: { type: 'integer' }, window_seconds: { type: 'integer' } },
  { nullable: true },
);
const STATUS_SCHEMA = everyField({
  linked: { type: 'boolean' },
  ig_username: { type: ['string', 'null'] },
  needs_reconnect: { type: 'boolean' },
  token_expires_at: { type: ['string', 'null'], format: 'date-time' },
  quota: QUOTA_SCHEMA,
  next_scheduled_at: { type: ['string', 'null'], format: 'date-time' },
});

function statusJson(status: InstagramStatus) {
  const { quota } = status;
  return {
    linked: status.linked,
    ig_username: status.igUsername,
    needs_reconnect: status.needsReconnect,
    token_expires_at: iso(status.tokenExpiresAt),
    quota: quota && { used: quota.used, total: quota.total, window_seconds: quota.windowSeconds },
    next_scheduled_at: iso(status.nextScheduledAt),
  };
}

/** The request's Idempotency-Key, null without one; 400 for one that could not be stored as sent. */
function idempotencyKeyOf(ctx: AppContext): string | null {
  const key = ctx.get('idempotency-key');
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw errors.invalidIdempotencyKey();
  return key;
}

function answer(ctx: AppContext, status: number, post: Post): void {
  ctx.status = status;
  ctx.body = { ok: true, post: postJson(post, preferredLanguage(ctx)) };
  ctx.vary('Accept-Language');
}

export const postRoutes = routeModule(
  {
    createPost: CreatePost,
    listPosts: ListPosts,
    getPost: GetPost,
    editPost: EditPost,
    deletePost: DeletePost,
    publishPost: PublishPost,
    schedulePost: SchedulePost,
    unschedulePost: UnschedulePost,
    retryPost: RetryPost,
    getInstagramStatus: GetInstagramStatus,
  },
  (deps) => [
    defineRoute({
      method: 'POST',
      path: '/api/personas/:id/posts',
      operationId: 'createPost',
      errors: { persona_not_found: '', ...CONTENT_INVALID },
      tag: 'posts',
      summary:
        'A draft post of the persona: a caption and 1–10 images of the caller’s media library, or a story of one image and no caption',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.personaNotFound,
      body: NEW_POST_BODY,
      responses: {
        201: { description: 'Created as a draft', schema: POST_ANSWER },
      },
      async handler(ctx, { userId, params, body }) {
        const content = { kind: body.kind, caption: body.caption ?? '', media: body.media, altText: body.alt_text ?? null };
        answer(ctx, 201, await deps.createPost.execute(userId, Number(params.id), content));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/personas/:id/posts',
      operationId: 'listPosts',
      errors: {
        persona_not_found: '',
        invalid_request: 'an unknown status, kind or query parameter, a limit out of 1–100, a malformed cursor',
      },
      tag: 'posts',
      summary:
        'A page of the persona’s posts, newest first, optionally of one status and/or kind; `before=<next_cursor>` gives the next page',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.personaNotFound,
      query: {
        type: 'object',
        additionalProperties: false,
        properties: { status: { enum: POST_STATUSES }, kind: { enum: POST_KINDS }, ...pageQueryProperties(POSTS_PAGE) },
      },
      responses: {
        200: { description: 'A page of posts; next_cursor is null on the last', schema: pageSchema('posts', POST_SCHEMA) },
      },
      async handler(ctx, { userId, params, query }) {
        const before = query.before === undefined ? undefined : keyOfCursor(query.before);
        const { status, kind, limit } = query;
        const page = await deps.listPosts.execute(userId, Number(params.id), { status, kind, limit, before });
        const language = preferredLanguage(ctx);
        ctx.body = pageJson('posts', page, (post) => postJson(post, language));
        ctx.vary('Accept-Language');
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/posts/:id',
      operationId: 'getPost',
      errors: POST_NOT_FOUND,
      tag: 'posts',
      summary: 'One of the caller’s posts',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      responses: { 200: { description: 'The post', schema: POST_ANSWER } },
      async handler(ctx, { userId, params }) {
        answer(ctx, 200, await deps.getPost.execute(userId, Number(params.id)));
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/posts/:id',
      operationId: 'editPost',
      errors: { ...POST_NOT_FOUND, ...NOT_EDITABLE, ...CONTENT_INVALID },
      tag: 'posts',
      summary:
        'Change the caption, images (the list is replaced) or alt text of a draft, scheduled or failed post; the kind stays (a story keeps one image and no caption)',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      body: contentBody([]),
      responses: {
        200: { description: 'Changed; the status and any queued job stay', schema: POST_ANSWER },
      },
      async handler(ctx, { userId, params, body }) {
        const edit = { caption: body.caption, media: body.media, altText: body.alt_text };
        answer(ctx, 200, await deps.editPost.execute(userId, Number(params.id), edit));
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/posts/:id',
      operationId: 'deletePost',
      errors: { ...POST_NOT_FOUND, ...NOT_EDITABLE },
      tag: 'posts',
      summary: 'Delete a draft, scheduled or failed post (its queued job is cancelled with it)',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      responses: { 200: { description: 'Deleted', schema: ok() } },
      async handler(ctx, { userId, params }) {
        await deps.deletePost.execute(userId, Number(params.id));
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/posts/:id/publish',
      operationId: 'publishPost',
      errors: { invalid_request: 'an Idempotency-Key that is not 1–255 visible ASCII characters', ...QUEUE_REFUSED },
      tag: 'posts',
      summary: 'Publish now; an Idempotency-Key header makes a repeated request answer the post as it is now',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      responses: {
        202: { description: 'Queued: publishing', schema: POST_ANSWER },
      },
      async handler(ctx, { userId, params }) {
        const post = await deps.publishPost.execute({ userId, postId: Number(params.id), idempotencyKey: idempotencyKeyOf(ctx) });
        answer(ctx, 202, post);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/posts/:id/schedule',
      operationId: 'schedulePost',
      errors: {
        ...QUEUE_REFUSED,
        schedule_in_past: '',
        schedule_too_far: '> 365 days',
        invalid_time_zone: '',
        validation_failed: 'also a time the zone skips at a daylight-saving change',
      },
      tag: 'posts',
      summary: 'Schedule (or move) the post to a wall-clock time in an IANA time zone (default APP_TIMEZONE)',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['at'],
        properties: {
          at: {
            type: 'string',
            pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$',
            description: 'YYYY-MM-DDTHH:mm',
            examples: ['2026-12-24T19:30'],
          },
          time_zone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA, e.g. Asia/Seoul', examples: ['Asia/Seoul'] },
        },
      },
      responses: {
        200: { description: 'Scheduled', schema: POST_ANSWER },
      },
      async handler(ctx, { userId, params, body }) {
        answer(ctx, 200, await deps.schedulePost.execute({ userId, postId: Number(params.id), at: body.at, timeZone: body.time_zone }));
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/posts/:id/schedule',
      operationId: 'unschedulePost',
      errors: { ...POST_NOT_FOUND, ...NOT_EDITABLE },
      tag: 'posts',
      summary: 'A scheduled post goes back to draft (its job cancelled); a draft or failed post is answered unchanged',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      responses: { 200: { description: 'Draft', schema: POST_ANSWER } },
      async handler(ctx, { userId, params }) {
        answer(ctx, 200, await deps.unschedulePost.execute(userId, Number(params.id)));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/posts/:id/retry',
      operationId: 'retryPost',
      errors: { ...QUEUE_REFUSED, post_not_publishable: 'not failed' },
      tag: 'posts',
      summary: 'Queue a failed post again, now',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.postNotFound,
      responses: {
        202: { description: 'Queued: publishing', schema: POST_ANSWER },
      },
      async handler(ctx, { userId, params }) {
        answer(ctx, 202, await deps.retryPost.execute(userId, Number(params.id)));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/personas/:id/instagram/status',
      operationId: 'getInstagramStatus',
      errors: { persona_not_found: '' },
      tag: 'instagram',
      summary: 'The persona’s link, token, Meta’s publishing quota (null when Meta cannot be asked) and next scheduled post',
      auth: true,
      params: ID_PARAMS,
      notFound: errors.personaNotFound,
      responses: {
        200: { description: 'Status', schema: ok('instagram', STATUS_SCHEMA) },
      },
      async handler(ctx, { userId, params }) {
        ctx.body = { ok: true, instagram: statusJson(await deps.getInstagramStatus.execute(userId, Number(params.id))) };
      },
    }),
  ],
);
