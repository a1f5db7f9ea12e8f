import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../../core/errors.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** `$data` stays off (SECURITY.md); query strings are coerced to the schema's types. */
export function createAjv({ coerceTypes }: { coerceTypes: boolean }): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, $data: false, coerceTypes });
  addFormats(ajv);
  return ajv;
}

export type { ValidateFunction };

/** ajv errors as the contract's `details`: a JSON pointer to the offending field and a sentence. */
export function toDetails(errors: ErrorObject[] | null | undefined): ErrorDetail[] {
  return (errors ?? []).map((error) => {
    const extra = error.params.missingProperty ?? error.params.additionalProperty;
    const path = extra === undefined ? error.instancePath : `${error.instancePath}/${extra}`;
    const message = error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? 'is invalid');
    return { path: path || '/', message };
  });
}
