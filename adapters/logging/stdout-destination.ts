import { pino } from 'pino';

export interface StdoutDestination {
  stream: pino.DestinationStream;
  /**
   * Resolves true once every line logged so far has been written (or stdout turned out to be gone: a
   * broken pipe drops them), false when that takes longer than `ms`: nobody reads the other end.
   */
  flushed(ms: number): Promise<boolean>;
}

/**
 * Log lines to stdout, written off the main thread (pino's sonic-boom, asynchronous): a stdout that
 * nobody reads never blocks the server. The process exits only once flushed() says so, because on exit
 * pino writes what is left synchronously, retrying forever while the pipe is full or broken.
 */
export function stdoutDestination(): StdoutDestination {
  // minLength 1 still writes each line at once; with the default 0, flush(cb) would not wait for the writes.
  const stream = pino.destination({ dest: 1, sync: false, minLength: 1 });
  return {
    stream,
    flushed: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        stream.flush(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
  };
}
