import { ConnectionException } from '@mikro-orm/core';
import { errors } from '../../core/shared/index.js';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  // the mariadb connector's own (MikroORM's MariaDB driver)
  'ER_SOCKET_UNEXPECTED_CLOSE',
  'ER_CONNECTION_TIMEOUT',
  'ER_SOCKET_TIMEOUT',
  'ER_CMD_CONNECTION_CLOSED',
  'ER_CONNECTION_ALREADY_CLOSED',
  'ER_CMD_NOT_EXECUTED_DESTROYED',
  'ER_GET_CONNECTION_TIMEOUT', // its pool, when no connection could be made in time
]);

/** True when the error says the database cannot be reached, rather than that a query is wrong. */
function isDbUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof ConnectionException) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    // knex/tarn pool exhaustion while the server does not answer
    if (/Timeout acquiring a connection|Connection terminated|Pool is destroyed/i.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { previous?: unknown }).previous;
  }
  return false;
}

/** Runs one repository operation, turning "cannot reach the database" into a DomainError. */
export async function translateDbErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw isDbUnavailable(error) ? errors.dbUnavailable() : error;
  }
}
