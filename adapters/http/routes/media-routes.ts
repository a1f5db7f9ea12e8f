import { errors } from '../../../core/shared/index.js';
import { MediaFiles } from '../media-files.js';
import { FILE_PARAMS } from '../path-params.js';
import { defineRoute, type Route } from '../route.js';

/** Where generated images are served (FsMediaStore's URLs start with it). */
export const MEDIA_URL_PATH = '/media';

/** The only names FsMediaStore writes: a SHA-256 and an image extension, nothing a path can hide in. */
const FILE = /^\/media\/([0-9a-f]{64}\.(png|jpg|webp))$/;

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/**
 * GET/HEAD /media/<sha256>.<ext> from `root` (media-files.ts: from memory while the file on disk is
 * unchanged). The name is checked against FILE on the raw (undecoded) path before the disk is touched,
 * so encoded or plain traversal, dotfiles (the store's temp files) and directories never reach the
 * disk; a file that cannot be read is a 404 too.
 */
export function mediaRoutes(root: string): Route[] {
  const files = new MediaFiles(root);
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
        const [, name, extension] = FILE.exec(ctx.path) ?? [];
        const file = name === undefined ? undefined : await files.read(name);
        if (file === undefined) throw errors.fileNotFound();
        const { res } = ctx;
        res.setHeader('Content-Type', TYPES[extension]);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        res.setHeader('Last-Modified', file.modified.toUTCString());
        ctx.body = file.bytes;
      },
    }),
  ];
}
