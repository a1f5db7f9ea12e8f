import type { EntitySchema, EntitySchemaProperty } from '@mikro-orm/core';

/** The TypeScript value of each column type entities.ts uses (a datetime as the query builder maps it). */
interface ColumnValues {
  integer: number;
  string: string;
  text: string;
  datetime: Date;
  boolean: boolean;
  json: Record<string, unknown>;
}

/**
 * A property of a table's EntitySchema: a column of one of those types, or a many-to-one whose property holds
 * the referenced row's (integer) id. A column of another type fails `satisfies Columns` until ColumnValues names it.
 */
type Column = EntitySchemaProperty<unknown, unknown> & ({ type: keyof ColumnValues } | { kind: 'm:1'; mapToPk: true });

/** A table's properties, declared `as const satisfies Columns` so their types are kept for RowOf. */
export type Columns = Record<string, Column>;

type ValueOf<C> = C extends { kind: 'm:1' } ? number : C extends { type: infer T extends keyof ColumnValues } ? ColumnValues[T] : never;

/** The row a table's properties describe: one key per property, null where the column is nullable. */
export type RowOf<C extends Columns> = {
  -readonly [K in keyof C]: ValueOf<C[K]> | (C[K] extends { nullable: true } ? null : never);
};

type ColumnNames = Record<string, { fieldName?: string; fieldNames?: string[] }>;

/**
 * A table's columns and the row properties they fill, in declaration order. Read from the schema's metadata,
 * before or after MikroORM's discovery (which moves `fieldName` to `fieldNames`); a property without a
 * fieldName is its column's name.
 */
export function fieldsOf<T>(schema: EntitySchema<T>): (readonly [column: string, property: keyof T & string])[] {
  const properties = schema.meta.properties as unknown as ColumnNames;
  return Object.entries(properties).map(
    ([property, { fieldName, fieldNames }]) => [fieldNames?.[0] ?? fieldName ?? property, property as keyof T & string] as const,
  );
}

/**
 * The select list of raw SQL that reads rows with the query builder's names: `column as property` (`a.column`
 * with an alias), every column but those excepted.
 */
export function selectList<T, E extends keyof T & string = never>(
  schema: EntitySchema<T>,
  { alias, except = [] }: { alias?: string; except?: readonly E[] } = {},
): string {
  const prefix = alias ? `${alias}.` : '';
  return fieldsOf(schema)
    .filter(([, property]) => !(except as readonly string[]).includes(property))
    .map(([column, property]) => `${prefix}${column}${column === property ? '' : ` as ${property}`}`)
    .join(', ');
}
