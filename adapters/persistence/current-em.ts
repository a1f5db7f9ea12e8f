import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from '@mikro-orm/core';

/** The EntityManagers forked for the running unit of work, by the global one they came from. */
const units = new AsyncLocalStorage<Map<EntityManager, EntityManager>>();

/**
 * Runs one unit of work (an HTTP request, a job): every repository call inside gets the same
 * EntityManager, forked on first use. Lazily, unlike MikroORM's RequestContext: the hot statements
 * (prepared-sql.ts) need none, and an eager fork per request cost ~10% of GET /auth/me.
 */
export function inUnitOfWork<T>(work: () => Promise<T>): Promise<T> {
  return units.run(new Map(), work);
}

/**
 * The EntityManager for one repository call: the active transaction's when there is one, else the
 * unit of work's, else a fresh fork. The global one is never used directly (allowGlobalContext stays false).
 */
export function currentEm<E extends EntityManager>(em: E): E {
  const context = em.getContext(false);
  if (!context.global) return context;
  const unit = units.getStore();
  if (!unit) return context.fork();
  let forked = unit.get(em) as E | undefined;
  if (!forked) unit.set(em, (forked = context.fork()));
  return forked;
}
