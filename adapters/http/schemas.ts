import type { JsonSchema } from './route.js';

/** Response wrapper: `{ ok: true, <key>: schema }`. */
export function ok(key?: string, schema?: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: key ? ['ok', key] : ['ok'],
    properties: { ok: { const: true }, ...(key ? { [key]: schema ?? {} } : {}) },
  };
}

/** An object whose every field is always there (null where its schema allows), as docs/API.md gives the answers. */
export function everyField(properties: Record<string, JsonSchema>, { nullable = false } = {}): JsonSchema {
  return { type: nullable ? ['object', 'null'] : 'object', required: Object.keys(properties), properties };
}

/** The genders the contract accepts, in its words (UpdateProfile is handed them too). */
export const GENDERS = ['남성', '여성'] as const;
export const GENDER = { type: 'string', enum: GENDERS } as const;

const nullableString = { type: ['string', 'null'] };

export const CURRENT_USER = everyField({
  id: { type: 'integer' },
  provider: { type: 'string', enum: ['kakao', 'google'] },
  nickname: { ...nullableString, examples: ['별빛'] },
  profile_image: nullableString,
  birthday: { type: ['string', 'null'], format: 'date' },
  gender: { type: ['string', 'null'], enum: [...GENDERS, null] },
  needs_consent: { type: 'boolean' },
});
