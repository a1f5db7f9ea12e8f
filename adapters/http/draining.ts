import type { Next } from 'koa';
import type { AppContext } from './app-state.js';

/**
 * Set once the process starts shutting down. The listener is closed then, but requests still arrive on
 * keep-alive connections opened before: they are served (a load balancer may route here until it sees
 * /health/ready answer 503), each with `Connection: close`, so that every client moves on to another
 * instance after its answer and the connections drain.
 */
export class Draining {
  active = false;
}

export function drainingMiddleware(draining: Draining) {
  return (ctx: AppContext, next: Next) => {
    if (draining.active) ctx.set('Connection', 'close');
    return next();
  };
}
