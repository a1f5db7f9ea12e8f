import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written during one unit of work carries (today: the HTTP request id). */
export type LogContext = { requestId: string };

const current = new AsyncLocalStorage<LogContext>();

/** Runs `work` so that every line logged in it, by any logger createLogger made, carries `context`. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return current.run(context, work);
}

/** The pino mixin: the current context's fields, or none outside a unit of work. */
export function logContextFields(): Partial<LogContext> {
  return current.getStore() ?? {};
}
