import { RequestContext } from '@mikro-orm/core';
import type { Middleware } from 'koa';
import type { SqlOrm } from './create-orm.js';

/** One MikroORM request context (a forked EntityManager) per HTTP request. */
export function requestContextMiddleware(orm: SqlOrm): Middleware {
  return (_ctx, next) => RequestContext.create(orm.em, next);
}
