/**
 * The module that replaces precompiled-validators.ts in the production bundle (scripts/bundle.mjs):
 * loadConfig's validator as ajv's standalone code, compiled by read-env's own ajv from the same schema,
 * so the bundle validates exactly as the source does without compiling anything at start.
 */
import { _ } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { envAjv, schemaOf, validatorKey } from './read-env.js';
import { ENV_NAMES } from './variables.js';

// CommonJS; under NodeNext its default export arrives wrapped.
const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;

/**
 * A JavaScript expression whose value is loadConfig's validator. Its require() calls name env-formats.js
 * by `formatsModule`, and ajv's run-time helpers (`ajv/dist/runtime/…`) by their package paths.
 */
export function loadConfigValidatorCode(formatsModule: string): string {
  const ajv = envAjv({ source: true, formats: _`require(${formatsModule}).ENV_FORMATS` });
  const module = standaloneCode(ajv, ajv.compile(schemaOf(ENV_NAMES))).replace(/^"use strict";/, '');
  return `(() => {\nconst module = { exports: {} };\n${module}\nreturn module.exports;\n})()`;
}

/** The source of the module that replaces precompiled-validators.ts: its `PRECOMPILED`, with loadConfig's validator. */
export function precompiledValidatorsCode(formatsModule: string): string {
  return `export const PRECOMPILED = new Map([[${JSON.stringify(validatorKey(ENV_NAMES))}, ${loadConfigValidatorCode(formatsModule)}]]);\n`;
}
