import type { EntityManager } from '@mikro-orm/core';

/**
 * The EntityManager for one repository call: the active transaction's or request's
 * (RequestContext) when there is one, else a fresh fork. The global one is never used directly
 * (allowGlobalContext stays false).
 */
export function currentEm<E extends EntityManager>(em: E): E {
  const context = em.getContext(false);
  return context.global ? context.fork() : context;
}
