/**
 * What a round measures: seven routes of the real server, the plain-JS baselines each is compared
 * with, and the FastAPI peer's three routes (when it can run here). Every row is also compared with
 * bare node:http hello, the FastAPI peer's yardstick.
 */
import type { BenchContext } from './context.js';
import type { ServerKind } from './servers.js';
import type { WrkLoad } from './wrk.js';

export interface Variant {
  id: string;
  name: string;
  server: ServerKind;
  load: WrkLoad;
  /** The id of the baseline this row is a fraction of (besides node:http hello), if any. */
  baseline?: string;
  /** The id of the FastAPI peer's row of the same route: this row's rps ÷ that one's, per round. */
  peer?: string;
}

export const NODE_HELLO = 'node-hello';
const PEER_IDS = ['fastapi-health', 'fastapi-me', 'fastapi-put'];

/**
 * ONLY=id,id… (e.g. ONLY=node-hello,raw-put,put-profile) measures a subset, for quick A/B work. With
 * AB_DIR=<another checkout, built>, every selfstar row is measured twice in each round: this checkout's
 * build and that one's (ids ending in `@b`), so a change is compared with its parent in one run.
 */
function only(): Set<string> | null {
  return process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null;
}

/** Whether the run measures a FastAPI row (so the peer has to be set up). */
export function wantsPeer(): boolean {
  const ids = only();
  return !ids || PEER_IDS.some((id) => ids.has(id));
}

export function variants(ctx: BenchContext): Variant[] {
  const ids = only();
  const all = allVariants(ctx);
  const withB = process.env.AB_DIR
    ? all.flatMap((variant) => (variant.server === 'selfstar' ? [variant, buildB(variant)] : [variant]))
    : all;
  return withB.filter((variant) => !ids || ids.has(variant.id.replace(/@b$/, '')));
}

function buildB(variant: Variant): Variant {
  return { ...variant, id: `${variant.id}@b`, name: `${variant.name} [B]`, server: 'selfstar-b', peer: undefined };
}

function allVariants(ctx: BenchContext): Variant[] {
  const cookie = { Cookie: ctx.seeded.meCookie };
  return [
    { id: NODE_HELLO, name: 'node:http hello JSON', server: 'node-hello', load: { path: '/', script: 'report.lua' } },
    { id: 'koa-hello', name: 'Koa + @koa/router hello JSON', server: 'koa-hello', load: { path: '/', script: 'report.lua' } },
    {
      id: 'raw-me',
      name: 'raw DB GET /auth/me',
      server: 'raw-db',
      load: { path: '/auth/me', script: 'report.lua', headers: cookie },
    },
    {
      id: 'raw-put',
      name: 'raw DB PUT /users/me/profile',
      server: 'raw-db',
      load: { path: '/users/me/profile', script: 'put-profile.lua' },
    },
    {
      id: 'node-stream',
      name: 'node:http stream GET /media (PNG)',
      server: 'node-stream',
      load: { path: `/media/${ctx.png.name}`, script: 'report.lua' },
    },
    {
      id: 'health',
      name: 'selfstar GET /health',
      server: 'selfstar',
      load: { path: '/health', script: 'report.lua' },
      baseline: 'koa-hello',
      peer: 'fastapi-health',
    },
    {
      id: 'me',
      name: 'selfstar GET /auth/me',
      server: 'selfstar',
      load: { path: '/auth/me', script: 'report.lua', headers: cookie },
      baseline: 'raw-me',
      peer: 'fastapi-me',
    },
    {
      id: 'put-profile',
      name: 'selfstar PUT /users/me/profile',
      server: 'selfstar',
      load: { path: '/users/me/profile', script: 'put-profile.lua' },
      baseline: 'raw-put',
      peer: 'fastapi-put',
    },
    {
      id: 'personas',
      name: 'selfstar GET /api/personas (3)',
      server: 'selfstar',
      load: { path: '/api/personas', script: 'report.lua', headers: cookie },
    },
    {
      id: 'posts',
      name: `selfstar GET /api/personas/:id/posts (${ctx.seeded.posts})`,
      server: 'selfstar',
      load: { path: `/api/personas/${ctx.seeded.postsPersonaId}/posts`, script: 'report.lua', headers: cookie },
    },
    {
      id: 'media',
      name: 'selfstar GET /media (PNG)',
      server: 'selfstar',
      load: { path: `/media/${ctx.png.name}`, script: 'report.lua' },
      baseline: 'node-stream',
    },
    { id: 'images', name: 'selfstar POST /api/images (SVG)', server: 'selfstar', load: { path: '/api/images', script: 'post-images.lua' } },
    ...peerVariants(ctx),
  ];
}

/** The peer's routes as bench.py measures them: /auth/me as user 1, the PUT as a random one of its 1,000 users. */
function peerVariants(ctx: BenchContext): Variant[] {
  if (!ctx.peer) return [];
  const { meCookie, cookiesFile } = ctx.peer;
  return [
    { id: 'fastapi-health', name: 'FastAPI GET /health', server: 'fastapi', load: { path: '/health', script: 'report.lua' } },
    {
      id: 'fastapi-me',
      name: 'FastAPI GET /auth/me',
      server: 'fastapi',
      load: { path: '/auth/me', script: 'report.lua', headers: { Cookie: meCookie } },
    },
    {
      id: 'fastapi-put',
      name: 'FastAPI PUT /users/me/profile',
      server: 'fastapi',
      load: { path: '/users/me/profile', script: 'put-profile.lua', cookiesFile },
    },
  ];
}
