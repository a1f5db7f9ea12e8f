import { errors, message, type Page, type PageKey } from '../../core/shared/index.js';
import type { JsonSchema } from './route.js';

/**
 * The `next_cursor` of a list page, and its `before` back: base64url of `<created_at in epoch ms>.<id>`, the
 * key of the page's last item (core/shared/ports/page.ts). Opaque to clients; read strictly: only the text this
 * server writes is a cursor (no padding, no other digits, the canonical base64url), anything else is 400.
 */
const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,40}$';
const KEY_TEXT = /^(0|[1-9][0-9]{0,15})\.([1-9][0-9]{0,9})$/;
/** The latest time a Date holds, and the largest id a row has (int unsigned). */
const MAX_TIME = 8.64e15;
const MAX_ID = 4294967295;

export const CURSOR_SCHEMA = {
  type: 'string',
  pattern: CURSOR_PATTERN,
  description: 'the `next_cursor` of the previous page',
  examples: ['MTc5NjQ2ODIxOTgwMy40Mg'],
} as const;

export function cursorOf(key: PageKey): string {
  return Buffer.from(`${key.createdAt.getTime()}.${key.id}`, 'latin1').toString('base64url');
}

/** The key a cursor names; 400 invalid_request (detail at /before) for anything this server did not write. */
export function keyOfCursor(cursor: string): PageKey {
  const match = KEY_TEXT.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const time = Number(match?.[1]);
  const id = Number(match?.[2]);
  const key = { createdAt: new Date(time), id };
  if (!match || time > MAX_TIME || id > MAX_ID || cursorOf(key) !== cursor) {
    throw errors.invalidQuery([{ field: ['before'], message: message('cursor_invalid') }]);
  }
  return key;
}

/** A page's items as the API shows them, and the cursor of the page after it (null on the last page). */
export function pageJson<T, J>(key: string, page: Page<T>, json: (item: T) => J) {
  return { ok: true as const, [key]: page.items.map(json), next_cursor: page.next && cursorOf(page.next) };
}

/** The answer's schema: `{ ok, <key>: [item], next_cursor }`. */
export function pageSchema(key: string, item: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['ok', key, 'next_cursor'],
    properties: {
      ok: { const: true },
      [key]: { type: 'array', items: item },
      next_cursor: { type: ['string', 'null'], description: '`before` for the next page; null on the last page' },
    },
  };
}

/** The query of a paged list: `limit` (1–max, `default` when omitted) and `before`. */
export function pageQueryProperties({ defaultLimit, maxLimit }: { defaultLimit: number; maxLimit: number }) {
  return {
    limit: { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit, description: `items per page, 1–${maxLimit}` },
    before: CURSOR_SCHEMA,
  } as const;
}
