import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = [
  'authorization', 'cookie', 'set-cookie', 'access_token', 'refresh_token', 'id_token',
  'token', 'code', 'code_verifier', 'client_secret', 'state', 'password', 'secret',
];

/**
 * JSON logs with secrets redacted. Errors keep name, message, code (as errorCode) and stack only: got's
 * errors carry the request URL and headers (tokens), so nothing else of them is written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]), censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
}

function serializeError(error: unknown) {
  if (!(error instanceof Error)) return { message: String(error) };
  const { name, message, stack } = error;
  // Not `code`: that key is redacted everywhere, as OAuth authorization codes go by that name.
  const errorCode = (error as { code?: unknown }).code;
  return { name, message, stack, ...(errorCode === undefined ? {} : { errorCode }) };
}
