import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import mount from 'koa-mount';
import serve from 'koa-static';
// Not the package's main entry: that evaluates the whole browser bundle in Node (~0.4 s, ~40 MB).
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { errors } from '../../../core/shared/index.js';
import { FILE_PARAMS } from '../path-params.js';
import { defineRoute, type Route } from '../route.js';

/** One documentation page over /openapi.json, every asset served from its package's folder (works offline). */
interface DocsPage {
  /** `/docs` or `/redoc`; the start-up script is `<base>/init.js`, the assets `<base>/assets/<file>`. */
  base: string;
  /** Stable operationIds are derived from it: get<name>, get<name>Init, get<name>Asset. */
  name: string;
  title: string;
  /** The other page, linked from this one. */
  other: { href: string; label: string };
  /** What the page loads, and all that `<base>/assets` serves of the package (no package.json, no source maps). */
  styles: string[];
  scripts: string[];
  folder: string;
  init: string;
  /** Both run their own scripts and inline styles and draw icons from data: URIs; Redoc's search runs in a blob: worker. */
  policy: string;
}

const POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const SWAGGER_UI: DocsPage = {
  base: '/docs',
  name: 'SwaggerUi',
  title: 'Swagger UI',
  other: { href: '/redoc', label: 'Redoc' },
  styles: ['swagger-ui.css'],
  scripts: ['swagger-ui-bundle.js'],
  folder: getAbsoluteFSPath(),
  init: `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });`,
  policy: POLICY,
};

const REDOC: DocsPage = {
  base: '/redoc',
  name: 'Redoc',
  title: 'Redoc',
  other: { href: '/docs', label: 'Swagger UI' },
  styles: [],
  scripts: ['redoc.standalone.js'],
  // The standalone bundle: React and Redoc in one browser script, nothing fetched from elsewhere.
  folder: dirname(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js')),
  init: `Redoc.init('/openapi.json', { hideDownloadButton: false }, document.getElementById('ui'));`,
  policy: POLICY.replace("connect-src 'self'", "connect-src 'self'; worker-src 'self' blob:"),
};

/** Swagger UI at /docs and Redoc at /redoc, each linking to the other. */
export function docsRoutes(): Route[] {
  return [SWAGGER_UI, REDOC].flatMap(pageRoutes);
}

function pageRoutes(page: DocsPage): Route[] {
  const assets = new Set([...page.styles, ...page.scripts]);
  const serveAssets = mount(`${page.base}/assets`, serve(page.folder, { index: false }));
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>selfstar API · ${page.title}</title>
${page.styles.map((file) => `<link rel="stylesheet" href="${page.base}/assets/${file}">`).join('\n')}</head>
<body><nav style="font:14px sans-serif;padding:8px 16px">selfstar API · ${page.title} · <a href="${page.other.href}">${page.other.label}</a></nav>
<div id="ui"></div>
${page.scripts.map((file) => `<script src="${page.base}/assets/${file}"></script>`).join('\n')}
<script src="${page.base}/init.js"></script></body></html>`;
  return [
    defineRoute({
      method: 'GET',
      path: page.base,
      operationId: `get${page.name}`,
      tag: 'service',
      summary: `${page.title} over /openapi.json`,
      responses: { 200: { description: 'HTML' } },
      handler(ctx) {
        ctx.set('Content-Security-Policy', page.policy);
        ctx.type = 'html';
        ctx.body = html;
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${page.base}/init.js`,
      operationId: `get${page.name}Init`,
      tag: 'service',
      summary: `${page.title} start-up script`,
      responses: { 200: { description: 'JavaScript' } },
      handler(ctx) {
        ctx.type = 'application/javascript';
        ctx.body = page.init;
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${page.base}/assets/:file`,
      operationId: `get${page.name}Asset`,
      errors: { not_found: '' },
      tag: 'service',
      summary: `${page.title} assets`,
      params: FILE_PARAMS,
      notFound: errors.fileNotFound,
      responses: { 200: { description: 'A static asset' } },
      async handler(ctx, { params }) {
        // Checked on the raw path too: an encoded slash or dot segment never reaches koa-send.
        if (!assets.has(params.file) || ctx.path !== `${page.base}/assets/${params.file}`) throw errors.fileNotFound();
        await serveAssets(ctx, async () => {
          throw errors.fileNotFound();
        });
      },
    }),
  ];
}
