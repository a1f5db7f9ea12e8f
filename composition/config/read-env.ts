/**
 * Reads environment variables once, validates them with ajv against their records' schemas
 * (variables.ts), production rules included, and fills in the defaults. An invalid value throws a
 * ConfigError whose one-line message names the variable.
 */
import { Ajv, type CodeOptions, type ErrorObject, type ValidateFunction } from 'ajv';
import { ENV_FORMATS } from './env-formats.js';
import { PRECOMPILED } from './precompiled-validators.js';
import type { Variable } from './variable.js';
import { SECRET_NAMES, VARIABLES, type EnvName, type RawEnv } from './variables.js';

/** A missing or invalid environment variable; the message is one line and names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads `names` (empty strings count as unset), validates them and fills in their defaults. */
export function readEnv<N extends EnvName>(env: NodeJS.ProcessEnv, names: readonly N[]): Pick<RawEnv, N> {
  const raw: Partial<Record<EnvName, string>> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const validate = validatorOf(names);
  if (validate(raw)) return raw;
  const error = validate.errors?.[0];
  if (error === undefined) throw new ConfigError('environment', 'the environment is invalid');
  const { name, requirement } = describeError(error);
  const value = raw[name as EnvName];
  const shown =
    value === undefined || error.keyword === 'required'
      ? ''
      : SECRET_NAMES.has(name as EnvName)
        ? ' (value not shown)'
        : ` (got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)})`;
  throw new ConfigError(name, `${name} ${requirement}${shown}`);
}

const REQUIRED_IN_PRODUCTION = 'is required when NODE_ENV=production';

/** An object schema over `names`: each value's schema and default, then the production rules in record order. */
export function schemaOf(names: readonly EnvName[]): object {
  const record = (name: EnvName): Variable => VARIABLES[name];
  const properties = Object.fromEntries(
    names.map((name) => {
      const { schema, default: fallback } = record(name);
      return [name, { type: 'string', ...schema, ...(fallback === undefined ? {} : { default: fallback }) }];
    }),
  );
  const productionRules = names.flatMap((name) => {
    const { required, schema } = record(name).production ?? {};
    return [
      ...(required ? [{ type: 'object', required: [name], description: REQUIRED_IN_PRODUCTION }] : []),
      ...(schema ? [{ type: 'object', properties: { [name]: { type: 'string', ...schema } } }] : []),
    ];
  });
  const base = { type: 'object', additionalProperties: false, properties };
  if (productionRules.length === 0) return base;
  if (!names.includes('NODE_ENV')) throw new Error(`production rules need NODE_ENV among the variables read: ${names.join(', ')}`);
  return {
    ...base,
    if: { type: 'object', required: ['NODE_ENV'], properties: { NODE_ENV: { type: 'string', const: 'production' } } },
    then: { type: 'object', allOf: productionRules },
  };
}

/** The ajv that compiles schemaOf's schemas, here and ahead of time (precompile.ts, with `code`). */
export function envAjv(code: CodeOptions = {}): Ajv {
  const ajv = new Ajv({ allErrors: false, $data: false, useDefaults: true, verbose: true, strict: true, strictRequired: false, code });
  for (const [name, format] of Object.entries(ENV_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** The key of a list of names among the validators, compiled or precompiled. */
export const validatorKey = (names: readonly EnvName[]): string => names.join(',');

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction<RawEnv>>();

/**
 * The validator of `names`: precompiled in the production bundle (compiling loadConfig's schema took
 * ~0.2 s of a one-core start), else compiled on first use.
 */
function validatorOf(names: readonly EnvName[]): ValidateFunction<RawEnv> {
  const key = validatorKey(names);
  let validate = validators.get(key) ?? (PRECOMPILED.get(key) as ValidateFunction<RawEnv> | undefined);
  if (validate === undefined) {
    validate = (ajv ??= envAjv()).compile<RawEnv>(schemaOf(names));
    validators.set(key, validate);
  }
  return validate;
}

/** The variable an ajv error is about, and what it requires of it. */
function describeError(error: ErrorObject): { name: string; requirement: string } {
  const parent = error.parentSchema as { description?: string } | undefined;
  const requirement = parent?.description ?? error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    return { name: String((error.params as { missingProperty: string }).missingProperty), requirement };
  }
  return { name: error.instancePath.replace(/^\//, '') || 'environment', requirement };
}
