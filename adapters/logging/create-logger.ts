import { pino, type DestinationStream, type Logger } from 'pino';
import { logContextFields } from './log-context.js';

/** Keys whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code_verifier',
  'client_secret',
  'state',
  'password',
  'secret',
  // The S3 store's static credentials (Config.s3.credentials: accessKeyId, secretAccessKey).
  'credentials',
  'secretAccessKey',
];
/**
 * `code` is an OAuth authorization code only inside a request's body, query or form; elsewhere it is an
 * error code (`sign-in failed` with code `state_mismatch`), which must stay readable. So it is redacted
 * by path.
 */
const OAUTH_CODE_PATHS = ['body', 'query', 'form', 'searchParams', 'params'].flatMap((parent) => [`${parent}.code`, `*.${parent}.code`]);

/**
 * JSON logs with secrets redacted. Errors keep name, message, code (as errorCode) and stack only: got's
 * errors carry the request URL and headers (tokens), so nothing else of them is written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: [...SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]), ...OAUTH_CODE_PATHS], censor: '[redacted]' },
      serializers: { err: serializeError },
      mixin: logContextFields, // the request id on every line written while a request runs
    },
    destination,
  );
}

function serializeError(error: unknown) {
  if (!(error instanceof Error)) return { message: '[not an Error]' };
  const { name } = error;
  // errorCode, not code: a reader (or a redaction path) never mistakes it for an OAuth authorization code.
  const errorCode = (error as { code?: unknown }).code;
  const code = errorCode === undefined ? {} : { errorCode };
  if (isDatabaseError(error)) {
    // Driver messages quote the SQL with its bound values (session ids, sealed tokens) and
    // MySQL's own messages quote values too ("Duplicate entry '…'"): keep only the frames.
    return { name, message: '[database error: message withheld]', stack: error.stack?.split('\n').slice(1).join('\n'), ...code };
  }
  return { name, message: error.message, stack: error.stack, ...code };
}

function isDatabaseError(error: Error): boolean {
  return (
    /Exception$|Sqlite|Libsql/i.test(error.name) ||
    ['sql', 'sqlState', 'sqlMessage'].some((key) => key in error) ||
    /^\s*(select|insert|update|delete|replace|with)\b/i.test(error.message)
  );
}
