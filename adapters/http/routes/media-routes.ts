import { Readable } from 'node:stream';
import type { MediaStore } from '../../../core/images/index.js';
import { errors } from '../../../core/shared/index.js';
import { FILE_PARAMS } from '../path-params.js';
import { defineRoute, type Route } from '../route.js';

/** Where media files are served (every MediaStore's URLs start with it). */
export const MEDIA_URL_PATH = '/media';

/** The only names a MediaStore writes: a SHA-256 and an image extension, nothing a path can hide in. */
const FILE = /^\/media\/[0-9a-f]{64}\.(?:png|jpg|webp)$/;

/**
 * GET/HEAD /media/<sha256>.<ext> from the MediaStore: the disk's files (from memory while unchanged), or
 * the bucket's objects streamed through, or a 302 to the store's direct URL when it has one
 * (S3_PUBLIC_BASE_URL). The name is checked against FILE on the raw (undecoded) path before the store
 * is asked, so encoded or plain traversal, dotfiles (the disk store's temp files) and directories never
 * reach it. The name is the content's hash, so it is the strong ETag.
 */
export function mediaRoutes(store: MediaStore): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: `${MEDIA_URL_PATH}/:file`,
      operationId: 'getMediaFile',
      errors: { not_found: '', media_store_unavailable: 'MEDIA_STORE=s3 and the bucket does not answer' },
      tag: 'images',
      summary: 'A generated image (also HEAD)',
      params: FILE_PARAMS,
      notFound: errors.fileNotFound,
      responses: {
        200: { description: 'image/png, image/jpeg or image/webp, immutable, with the name as its ETag' },
        302: { description: "to the object's public URL when S3_PUBLIC_BASE_URL is set" },
        304: { description: 'If-None-Match names this file' },
      },
      async handler(ctx) {
        if (!FILE.test(ctx.path)) throw errors.fileNotFound();
        const direct = store.directUrl(ctx.path);
        if (direct !== null) {
          ctx.redirect(direct);
          return;
        }
        const file = await store.open(ctx.path);
        if (file === null) throw errors.fileNotFound();
        const { res } = ctx;
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        res.setHeader('Last-Modified', file.modified.toUTCString());
        res.setHeader('ETag', `"${ctx.path.slice(MEDIA_URL_PATH.length + 1)}"`);
        ctx.status = 200;
        if (ctx.fresh) {
          if (file.body instanceof Readable) file.body.destroy();
          ctx.status = 304;
          return;
        }
        ctx.body = file.body;
        ctx.length = file.size;
      },
    }),
  ];
}
