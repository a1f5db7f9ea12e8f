import type { ServerResponse } from 'node:http';
import mount from 'koa-mount';
import serve from 'koa-static';
import { errors } from '../../../core/errors.js';
import { FILE_PARAMS } from '../path-params.js';
import { defineRoute, type Route } from '../route.js';

/** Where generated images are served (FsMediaStore's URLs start with it). */
export const MEDIA_URL_PATH = '/media';

/** The only names FsMediaStore writes: a SHA-256 and an image extension, nothing a path can hide in. */
const FILE = /^\/media\/([0-9a-f]{64}\.(png|jpg|webp))$/;

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

function setHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Content-Type', TYPES[path.slice(path.lastIndexOf('.') + 1)]);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}

/**
 * GET/HEAD /media/<sha256>.<ext> from `root`, through koa-static mounted under /media only (at
 * the root it would stat the disk on every request). The name is checked against FILE on the raw
 * (undecoded) path before the disk is touched, so encoded or plain traversal, dotfiles (the store's
 * temp files) and directories never reach koa-send; whatever koa-send still throws is a 404 too.
 */
export function mediaRoutes(root: string): Route[] {
  const files = mount(MEDIA_URL_PATH, serve(root, { index: false, hidden: false, format: false, gzip: false, brotli: false, setHeaders }));
  return [
    defineRoute({
      method: 'GET',
      path: `${MEDIA_URL_PATH}/:file`,
      operationId: 'getMediaFile',
      errors: { not_found: '' },
      tag: 'images',
      summary: 'A generated image (also HEAD)',
      params: FILE_PARAMS,
      notFound: errors.fileNotFound,
      responses: { 200: { description: 'image/png, image/jpeg or image/webp, immutable' } },
      async handler(ctx) {
        if (!FILE.test(ctx.path)) throw errors.fileNotFound();
        try {
          // koa-static calls this `next` only when it served nothing (e.g. the file is missing).
          await files(ctx, async () => {
            throw errors.fileNotFound();
          });
        } catch {
          throw errors.fileNotFound();
        }
      },
    }),
  ];
}
