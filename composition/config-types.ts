import type { typedConfig } from './config/typed-config.js';

/** The typed configuration loadConfig (config.ts) returns, shaped from the variable records by typedConfig. */
export type Config = ReturnType<typeof typedConfig>;
