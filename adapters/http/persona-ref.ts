import type { PersonaRef } from '../../core/personas/index.js';
import type { Typed } from './route.js';

/** `persona_id` or `persona_num`, in a query or a JSON body. */
export const PERSONA_REF_PROPERTIES = {
  persona_id: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'the persona’s global id' },
  persona_num: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'the persona’s per-user number' },
} as const;

/** A query of only those fields. */
export const PERSONA_REF_QUERY = { type: 'object', properties: PERSONA_REF_PROPERTIES } as const;

type PersonaRefFields = Pick<Typed<typeof PERSONA_REF_QUERY>, keyof typeof PERSONA_REF_PROPERTIES>;

/** The named persona (`persona_id` wins when both are given), or undefined when none is named. */
export function personaRefOf(fields: PersonaRefFields): PersonaRef | undefined {
  if (fields.persona_id !== undefined) return { id: fields.persona_id };
  if (fields.persona_num !== undefined) return { num: fields.persona_num };
  return undefined;
}
