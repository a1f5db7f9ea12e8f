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
      async handler(ctx) {
        await assets(ctx, async () => {
          throw errors.fileNotFound();
        });
      },
    }),
  ];
}
