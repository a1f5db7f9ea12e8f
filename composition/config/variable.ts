/** What the record of one environment variable holds (variables.ts), and the value schemas several share. */

/** JSON Schema keywords for one string value; `description` is what an error message says it must be. */
export interface ValueSchema {
  readonly description: string;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly format?: string;
  readonly minLength?: number;
}

export interface Variable {
  readonly schema: ValueSchema;
  /** Applied when the variable is unset or empty. */
  readonly default?: string;
  /** The configuration table's default column when there is no `default` (e.g. a value derived at start). */
  readonly unset?: string;
  /** Never echoed in an error message. */
  readonly secret?: boolean;
  /** Checked when NODE_ENV=production, after every variable's own schema. */
  readonly production?: { readonly required?: boolean; readonly schema?: ValueSchema };
  /** One line for the configuration table. */
  readonly description: string;
}

export const port = {
  pattern: '^(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$',
  description: 'must be an integer from 1 to 65535',
} as const;
export const positiveInt = { pattern: '^[1-9][0-9]{0,14}$', description: 'must be a positive integer' } as const;
export const bool = { enum: ['0', '1', 'true', 'false'], description: 'must be 0 or 1 (or true/false)' } as const;
export const httpUrl = { format: 'uri', pattern: '^https?://\\S+$', description: 'must be an http(s) URL' } as const;
export const text = { description: 'must be a string' } as const;
