import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

/** Told of every query the ORM ran: its SQL, how long it took (ms) and whether it failed. */
export type QueryObserver = (sql: string, ms: number, failed: boolean) => void;

/**
 * MikroORM's logger, which the ORM calls after every query with its time whether or not query logging
 * is on: the one place that sees every query's duration. Transaction statements (begin, commit) come
 * without a time and are not counted.
 */
export class QueryTimingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly observe: QueryObserver,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    if (context.took !== undefined) this.observe(context.query, context.took, context.level === 'error');
    super.logQuery(context);
  }
}
