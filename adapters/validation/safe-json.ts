import { message, type ErrorDetail } from '../../core/shared/index.js';

/** Deeper bodies are refused: the ORM and SQLite's JSON functions give out further down. */
export const MAX_JSON_DEPTH = 32;

/** C0 controls but tab, newline and carriage return, and DEL: no stored text needs them, and databases refuse some. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/; // eslint-disable-line no-control-regex -- matching them is the point

/** In a `u` pattern only an unpaired surrogate is a code point of category Cs (as fallback-svg.ts uses it). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The first part of a parsed JSON body that must never be stored: nesting deeper than
 * MAX_JSON_DEPTH, a string or key with a control character, or one that is not well-formed UTF-16
 * (a lone surrogate, which a database would silently rewrite). Null when the body is safe.
 */
export function unsafeJsonPart(value: unknown, field: readonly string[] = [], depth = 0): ErrorDetail | null {
  if (typeof value === 'string') return textProblem(value, field);
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_JSON_DEPTH) return { field, message: message('json_too_deep', { max: MAX_JSON_DEPTH }) };
  for (const [key, item] of Object.entries(value)) {
    const at = [...field, key];
    const problem = textProblem(key, at) ?? unsafeJsonPart(item, at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function textProblem(text: string, field: readonly string[]): ErrorDetail | null {
  if (LONE_SURROGATE.test(text)) return { field, message: message('lone_surrogate') };
  if (CONTROL.test(text)) return { field, message: message('control_character') };
  return null;
}
