/**
 * Reads and validates the environment once at start (API spec, "Configuration"); every variable is
 * one record in config/variables.ts. An invalid value throws a ConfigError whose one-line message
 * names the variable; the entry points print it to stderr and exit 1.
 */
import type { Config } from './config-types.js';
import { readEnv } from './config/read-env.js';
import { DB_NAMES, mysqlOptions, typedConfig } from './config/typed-config.js';
import { ENV_NAMES } from './config/variables.js';

export type { Config } from './config-types.js';
export { ConfigError } from './config/read-env.js';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return typedConfig(readEnv(env, ENV_NAMES));
}

/** Only the DB_* variables, read like loadConfig reads them: what `npm run db:migrate` needs. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Config['mysql'] {
  return mysqlOptions(readEnv(env, DB_NAMES));
}
