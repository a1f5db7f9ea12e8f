import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import localizeKoModule from 'ajv-i18n/localize/ko/index.js';
import type { ErrorDetail } from '../../core/shared/index.js';

// ajv-formats and ajv-i18n are CommonJS; under NodeNext their default exports arrive wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const localizeKo = localizeKoModule as unknown as typeof localizeKoModule.default;

/** What createAjv gives: ajv's compile. */
export interface SchemaCompiler {
  compile(schema: AnySchema): ValidateFunction;
}

/**
 * `$data` stays off (docs/security.md); query strings are coerced to the schema's types. The ajv itself is
 * built on the first compile: building one (its meta-schema, vocabularies and formats) cost ~25 ms of a
 * one-core start, and the routes compile their schemas on first use anyway.
 */
export function createAjv({ coerceTypes }: { coerceTypes: boolean }): SchemaCompiler {
  let ajv: Ajv | undefined;
  const built = (): Ajv => {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: true, $data: false, coerceTypes });
      addFormats(ajv);
    }
    return ajv;
  };
  return { compile: (schema) => built().compile(schema) };
}

export type { ValidateFunction };

/**
 * ajv errors as the contract's `details`: a JSON pointer to the offending field and a sentence in
 * each language, the Korean from ajv-i18n (which rewrites messages in place, so it gets copies).
 */
export function toDetails(errors: ErrorObject[] | null | undefined): ErrorDetail[] {
  const found = errors ?? [];
  const korean = found.map((error) => ({ ...error }));
  localizeKo(korean);
  return found.map((error, at) => ({
    field: fieldOf(error),
    message: { words: { en: englishOf(error), ko: korean[at].message ?? '올바르지 않습니다' } },
  }));
}

/** The field's names from the top, from ajv's JSON pointer (escapes undone) and the property it names. */
function fieldOf(error: ErrorObject): string[] {
  const names =
    error.instancePath === ''
      ? []
      : error.instancePath
          .slice(1)
          .split('/')
          .map((name) => name.replaceAll('~1', '/').replaceAll('~0', '~'));
  const extra = (error.params.missingProperty ?? error.params.additionalProperty) as string | undefined;
  return extra === undefined ? names : [...names, extra];
}

function englishOf(error: ErrorObject): string {
  return error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? 'is invalid');
}
