import type { PersonaRef } from '../../core/personas/index.js';
import type { JsonSchema } from './route.js';

/** `persona_id` or `persona_num`, in a query or a JSON body. */
export interface PersonaRefFields {
  persona_id?: number;
  persona_num?: number;
}

export const PERSONA_REF_PROPERTIES: Record<keyof PersonaRefFields, JsonSchema> = {
  persona_id: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'the persona’s global id' },
  persona_num: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'the persona’s per-user number' },
};

/** The named persona (`persona_id` wins when both are given), or undefined when none is named. */
export function personaRefOf(fields: PersonaRefFields): PersonaRef | undefined {
  if (fields.persona_id !== undefined) return { id: fields.persona_id };
  if (fields.persona_num !== undefined) return { num: fields.persona_num };
  return undefined;
}
