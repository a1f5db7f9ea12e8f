import mount from 'koa-mount';
import serve from 'koa-static';
// Not the package's main entry: that evaluates the whole browser bundle in Node (~0.4 s, ~40 MB).
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { errors } from '../../../core/errors.js';
import { defineRoute, type Route } from '../route.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>selfstar API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });`;

/** What the page loads, and all that /docs/assets serves of swagger-ui-dist (no package.json, no source maps). */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/** Swagger UI runs its own scripts and styles (some inline) and draws icons from data: URIs; nothing else. */
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Swagger UI over /openapi.json, every asset served from swagger-ui-dist (works offline). */
export function docsRoutes(): Route[] {
  const assets = mount('/docs/assets', serve(getAbsoluteFSPath(), { index: false }));
  return [
    defineRoute({
      method: 'GET',
      path: '/docs',
      tag: 'service',
      summary: 'Swagger UI',
      responses: { 200: { description: 'HTML' } },
      handler(ctx) {
        ctx.set('Content-Security-Policy', PAGE_POLICY);
        ctx.type = 'html';
        ctx.body = PAGE;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/docs/init.js',
      tag: 'service',
      summary: 'Swagger UI start-up script',
      responses: { 200: { description: 'JavaScript' } },
      handler(ctx) {
        ctx.type = 'application/javascript';
        ctx.body = INIT;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/docs/assets/:file',
      tag: 'service',
      summary: 'Swagger UI assets (swagger-ui-dist)',
      responses: { 200: { description: 'A static asset' }, 404: { description: 'not_found' } },
      async handler(ctx, { params }) {
        // Checked on the raw path too: an encoded slash or dot segment never reaches koa-send.
        if (!ASSETS.has(params.file ?? '') || ctx.path !== `/docs/assets/${params.file}`) throw errors.fileNotFound();
        await assets(ctx, async () => {
          throw errors.fileNotFound();
        });
      },
    }),
  ];
}
