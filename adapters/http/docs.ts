import mount from 'koa-mount';
import serve from 'koa-static';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { Next } from 'koa';
import type { AppContext } from './app-state.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>selfstar API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });`;

/** Swagger UI over /openapi.json, every asset served from swagger-ui-dist (works offline). */
export function docsMiddleware() {
  const assets = mount('/docs/assets', serve(getAbsoluteFSPath(), { index: false }));
  return async (ctx: AppContext, next: Next) => {
    if (!ctx.path.startsWith('/docs')) return next();
    if (ctx.method === 'GET' && (ctx.path === '/docs' || ctx.path === '/docs/')) {
      ctx.type = 'html';
      ctx.body = PAGE;
    } else if (ctx.method === 'GET' && ctx.path === '/docs/init.js') {
      ctx.type = 'application/javascript';
      ctx.body = INIT;
    } else {
      await assets(ctx as any, next);
    }
  };
}
