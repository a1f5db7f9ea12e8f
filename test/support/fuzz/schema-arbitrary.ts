import fc from 'fast-check';

type Schema = Record<string, any>;

/**
 * Values a JSON schema (the subset the routes declare: type, enum, const, pattern, format date,
 * lengths, bounds, items, properties, required) accepts — mostly. They are a starting point the
 * hostile generators then bend, so a value the schema would refuse now and then is fine.
 */
export function schemaValue(schema: Schema | undefined): fc.Arbitrary<unknown> {
  if (!schema || Object.keys(schema).length === 0) return fc.jsonValue({ maxDepth: 3 });
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(schema[key])) return fc.oneof(...schema[key].map(schemaValue));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type: string) => schemaValue({ ...schema, type })));
  switch (schema.type) {
    case 'object':
      return objectValue(schema);
    case 'array':
      return fc.array(schemaValue(schema.items), { maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case 'string':
      return stringValue(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function objectValue(schema: Schema): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, schemaValue(property)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
}

function stringValue(schema: Schema): fc.Arbitrary<string> {
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === 'date')
    return fc.date({ min: new Date('1890-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map(isoDate);
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200), unit: 'grapheme' });
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
