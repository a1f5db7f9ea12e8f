import type { ServerResponse } from 'node:http';
import type { Next } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import { DomainError } from '../../core/errors.js';
import type { AppContext } from './app-state.js';

/** The only names FsMediaStore writes: a SHA-256 and an image extension, nothing a path can hide in. */
const FILE = /^\/media\/([0-9a-f]{64}\.(png|jpg|webp))$/;

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

function setHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Content-Type', TYPES[path.slice(path.lastIndexOf('.') + 1)]);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}

const notFound = () => new DomainError('not_found', 'not_found', 'No such file.');

/**
 * GET/HEAD /media/<sha256>.<ext> from `root`. The name is checked against FILE on the raw
 * (undecoded) path before the disk is touched, so encoded or plain traversal, dotfiles (the
 * store's temp files), directories and other methods never reach koa-send; whatever koa-send
 * still throws (400/403/500) is a 404 too. Other paths pass through without a stat.
 */
export function mediaMiddleware(root: string) {
  const files = mount(
    '/media',
    serve(root, { index: false, hidden: false, format: false, gzip: false, brotli: false, setHeaders }),
  );
  return async (ctx: AppContext, next: Next) => {
    if (ctx.path !== '/media' && !ctx.path.startsWith('/media/')) return next();
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !FILE.test(ctx.path)) throw notFound();
    try {
      // koa-static calls this `next` only when it served nothing (e.g. the file is missing).
      await files(ctx as any, async () => {
        throw notFound();
      });
    } catch {
      throw notFound();
    }
  };
}
