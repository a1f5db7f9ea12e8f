import Database from 'libsql';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createOrm, runMigrations } from '../../adapters/persistence/create-orm.js';
import { openPersistence, type Persistence } from '../../composition/persistence.js';
import { parseMySqlUrl, resetScratchDatabase } from './mysql.js';

export interface TestDatabase {
  name: string;
  /** A fresh, empty database behind the app's real persistence, and a raw reader of its rows. */
  open(): Promise<{ persistence: Persistence; rows(table: string): Promise<Record<string, unknown>[]> }>;
}

/** Embedded SQLite (a temp file), and MariaDB when TEST_MYSQL_URL is set (migrated from scratch). */
export function realDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [
    {
      name: 'SQLite',
      async open() {
        const path = join(mkdtempSync(join(tmpdir(), 'selfstar-')), 'test.sqlite');
        const persistence = await openPersistence({ mysql: null, sqlitePath: path });
        return {
          persistence,
          async rows(table) {
            const db = new Database(path, { readonly: true });
            try {
              return db.prepare(`select * from ${table}`).all() as Record<string, unknown>[];
            } finally {
              db.close();
            }
          },
        };
      },
    },
  ];
  const url = process.env.TEST_MYSQL_URL;
  if (url) {
    databases.push({
      name: 'MariaDB',
      async open() {
        const target = parseMySqlUrl(url);
        await resetScratchDatabase(target);
        const db = await createOrm({ mysql: target, sqlitePath: '' });
        await runMigrations(db.orm);
        await db.close();
        return {
          persistence: await openPersistence({ mysql: target, sqlitePath: '' }),
          async rows(table) {
            const { dbName, ...server } = target;
            const connection = await createConnection({ ...server, database: dbName, charset: 'utf8mb4' });
            try {
              const [rows] = await connection.query(`select * from ${table}`);
              return rows as Record<string, unknown>[];
            } finally {
              await connection.end();
            }
          },
        };
      },
    });
  }
  return databases;
}
