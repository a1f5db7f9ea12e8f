/** Throws on a byte sequence that is not UTF-8, where a lenient decoder would write U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `bytes` as text, or null when they are not UTF-8 (decoding them would rewrite them). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Whether every run of percent escapes in a URL part decodes as UTF-8. Node's querystring and
 * koa-router decode `%FF`, `%C0%AF` (overlong) or `%ED%A0%80` (a surrogate) to U+FFFD or keep
 * them raw; a lone `%` or `%zz` is not an escape and stays as written, which rewrites nothing.
 */
export function percentEscapesAreUtf8(text: string): boolean {
  for (const [run] of text.matchAll(ESCAPE_RUN)) {
    try {
      decodeURIComponent(run);
    } catch {
      return false;
    }
  }
  return true;
}
