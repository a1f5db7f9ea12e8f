import { type ImageType, type Media, ListMedia, MEDIA_PAGE, UploadMedia } from '../../../core/images/index.js';
import { keyOfCursor, pageJson, pageQueryProperties, pageSchema } from '../page-cursor.js';
import { defineRoute, routeModule } from '../route.js';
import { everyField, ok } from '../schemas.js';

const IMAGE_TYPES: ImageType[] = ['image/png', 'image/jpeg', 'image/webp'];

const MEDIA_SCHEMA = everyField({
  id: { type: 'integer' },
  url: { type: 'string' },
  content_type: { enum: IMAGE_TYPES },
  width: { type: 'integer' },
  height: { type: 'integer' },
  bytes: { type: 'integer' },
  created_at: { type: 'string', format: 'date-time' },
});

function mediaJson(media: Media) {
  const { id, url, contentType, width, height, bytes, createdAt } = media;
  return { id, url, content_type: contentType, width, height, bytes, created_at: createdAt.toISOString() };
}

export const mediaLibraryRoutes = routeModule({ uploadMedia: UploadMedia, listMedia: ListMedia }, ({ uploadMedia, listMedia }) => [
  defineRoute({
    method: 'POST',
    path: '/api/media',
    operationId: 'uploadMedia',
    errors: {
      payload_too_large: 'over MEDIA_UPLOAD_LIMIT',
      media_invalid: 'not the declared type by its magic numbers, or does not decode',
      media_store_unavailable: 'MEDIA_STORE=s3 and the bucket does not answer',
    },
    tag: 'media',
    summary: 'Upload an image (the body is its bytes) into the caller’s media library',
    auth: true,
    upload: { types: IMAGE_TYPES },
    responses: {
      201: { description: 'Kept', schema: ok('media', MEDIA_SCHEMA) },
    },
    async handler(ctx, { userId, body }) {
      const media = await uploadMedia.execute({ userId, contentType: body.contentType as ImageType, bytes: body.bytes });
      ctx.status = 201;
      ctx.body = { ok: true, media: mediaJson(media) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/media',
    operationId: 'listMedia',
    errors: { invalid_request: 'a limit out of 1–200, a malformed cursor' },
    tag: 'media',
    summary: 'A page of the caller’s media library, newest first; `before=<next_cursor>` gives the next page',
    auth: true,
    query: { type: 'object', properties: pageQueryProperties(MEDIA_PAGE) },
    responses: {
      200: { description: 'A page of media; next_cursor is null on the last', schema: pageSchema('media', MEDIA_SCHEMA) },
    },
    async handler(ctx, { userId, query }) {
      const before = query.before === undefined ? undefined : keyOfCursor(query.before);
      ctx.body = pageJson('media', await listMedia.execute(userId, { limit: query.limit, before }), mediaJson);
    },
  }),
]);
