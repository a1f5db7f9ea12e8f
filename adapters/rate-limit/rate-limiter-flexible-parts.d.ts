/**
 * rate-limiter-flexible's own modules, typed as its index types them: flexible-rate-limiter.ts imports
 * these rather than the index, which loads every store the library knows (about 25, Mongo, Postgres,
 * Dynamo, etcd …) and node:cluster for its cluster limiter (~20 ms of a one-core start).
 */
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import { RateLimiterMemory } from 'rate-limiter-flexible';
  export = RateLimiterMemory;
}
declare module 'rate-limiter-flexible/lib/RateLimiterMySQL.js' {
  import { RateLimiterMySQL } from 'rate-limiter-flexible';
  export = RateLimiterMySQL;
}
declare module 'rate-limiter-flexible/lib/RateLimiterRedis.js' {
  import { RateLimiterRedis } from 'rate-limiter-flexible';
  export = RateLimiterRedis;
}
declare module 'rate-limiter-flexible/lib/RateLimiterRes.js' {
  import { RateLimiterRes } from 'rate-limiter-flexible';
  export = RateLimiterRes;
}
declare module 'rate-limiter-flexible/lib/RLWrapperTimeouts.js' {
  import { RLWrapperTimeouts } from 'rate-limiter-flexible';
  export = RLWrapperTimeouts;
}
