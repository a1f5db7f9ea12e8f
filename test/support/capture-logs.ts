import type { Logger } from 'pino';
import { Writable } from 'node:stream';
import { createLogger } from '../../adapters/logging/create-logger.js';

export interface CapturedLogs {
  /** The app's logger (createLogger at level info), writing into memory. */
  logger: Logger;
  /** Everything written, as it was written. */
  text(): string;
  /** Every line, parsed. */
  entries(): any[];
}

/** A fresh logger whose JSON lines are kept in memory for a test to read. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), text: () => lines.join(''), entries: () => lines.map((line) => JSON.parse(line)) };
}
