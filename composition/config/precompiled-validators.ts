/**
 * read-env.ts's validators compiled ahead of time, by validatorKey. From source there are none and
 * read-env compiles each on first use; the production bundle replaces this module with ajv's
 * standalone code for loadConfig's validator (precompile.ts, scripts/bundle.mjs).
 */
import type { ValidateFunction } from 'ajv';

export const PRECOMPILED: ReadonlyMap<string, ValidateFunction> = new Map();
