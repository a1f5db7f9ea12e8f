import type { Configuration, Transaction } from '@mikro-orm/core';
import {
  MySqlDriver,
  MySqlPlatform,
  MySqlSchemaHelper,
  type AbstractSqlConnection,
  type DatabaseSchema,
} from '@mikro-orm/mysql';

type Table = Parameters<MySqlSchemaHelper['loadInformationSchema']>[2][number];

/*
 * The MySQL driver, taught the two places where MariaDB answers differently from MySQL
 * (what @mikro-orm/mariadb does, which we do not install). Harmless on MySQL itself.
 *
 * 1. JSON: MariaDB's JSON is LONGTEXT plus a CHECK (json_valid(col)); mysql2 hands back the text,
 *    and the MySQL platform assumes the driver already parsed it, so a JSON property would be read
 *    as a string. We parse when given a string.
 * 2. Introspection: MariaDB reports the implicit default of a nullable column as the word NULL and
 *    a JSON column as longtext + check, so the schema generator saw differences that are not there.
 */
class MariaDbCompatSchemaHelper extends MySqlSchemaHelper {
  override async loadInformationSchema(
    schema: DatabaseSchema,
    connection: AbstractSqlConnection,
    tables: Table[],
    schemas?: string[],
    ctx?: Transaction,
  ): Promise<void> {
    await super.loadInformationSchema(schema, connection, tables, schemas, ctx);
    for (const table of schema.getTables()) {
      for (const column of table.getColumns()) {
        if (column.nullable && /^'?NULL'?$/.test(String(column.default))) column.default = null;
      }
      const checks = table.getChecks();
      for (let i = checks.length - 1; i >= 0; i--) {
        const name = /^json_valid\(`([^`]+)`\)$/i.exec(String(checks[i].expression))?.[1];
        const column = name === undefined ? undefined : table.getColumn(name);
        if (!column || !/text$/i.test(column.type)) continue;
        column.type = 'json';
        column.mappedType = this.platform.getMappedType('json');
        delete column.length;
        checks.splice(i, 1);
      }
    }
  }
}

class MariaDbCompatPlatform extends MySqlPlatform {
  protected override readonly schemaHelper: MySqlSchemaHelper = new MariaDbCompatSchemaHelper(this);

  /** False: JSON values are parsed by us when the driver returns text (see above). */
  override convertsJsonAutomatically(): boolean {
    return false;
  }
}

export class MariaDbCompatDriver extends MySqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { platform: MySqlPlatform }).platform = new MariaDbCompatPlatform();
  }
}
