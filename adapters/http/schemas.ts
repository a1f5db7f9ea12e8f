import type { JsonSchema } from './route.js';

/** Response wrapper: `{ ok: true, <key>: schema }`. */
export function ok(key?: string, schema?: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['ok'],
    properties: { ok: { const: true }, ...(key && schema ? { [key]: schema } : {}) },
  };
}

/** The genders the contract accepts, in its words (UpdateProfile is handed them too). */
export const GENDERS = ['남성', '여성'] as const;
export const GENDER = { type: 'string', enum: GENDERS } as const;

const nullableString = { type: ['string', 'null'] };

export const CURRENT_USER: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    provider: { type: 'string', enum: ['kakao', 'google'] },
    nickname: { ...nullableString, examples: ['별빛'] },
    profile_image: nullableString,
    birthday: { type: ['string', 'null'], format: 'date' },
    gender: { type: ['string', 'null'], enum: [...GENDERS, null] },
    needs_consent: { type: 'boolean' },
  },
};
