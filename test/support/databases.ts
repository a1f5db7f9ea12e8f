import Database from 'libsql';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createOrm, runMigrations } from '../../adapters/persistence/create-orm.js';
import { RATE_LIMIT_TABLE } from '../../adapters/persistence/entities.js';
import { openPersistence, type Persistence } from '../../composition/persistence.js';
import { parseMySqlUrl, resetScratchDatabase } from './mysql.js';

export interface TestDatabase {
  name: string;
  /** A fresh, empty database behind the app's real persistence, and a raw reader of its rows. */
  open(): Promise<{
    persistence: Persistence;
    /** The variables that point another process (a worker) at the same database. */
    env: Record<string, string>;
    /** Another persistence on the same database (its own connections), as another instance of the app opens it. */
    another(): Promise<Persistence>;
    rows(table: string): Promise<Record<string, unknown>[]>;
    /**
     * Every row of every table, tables by name and rows in a stable order: equal snapshots mean nothing
     * changed. Not the rate-limit counters: a refused request is counted too, on purpose.
     */
    snapshot(): Promise<Snapshot>;
  }>;
}

export type Snapshot = Record<string, string[]>;

/** Each row as JSON (buffers and big integers as text), sorted: the order a database returns rows in is no change. */
function stableRows(rows: Record<string, unknown>[]): string[] {
  const text = (_key: string, value: unknown) => (typeof value === 'bigint' ? String(value) : value);
  return rows.map((row) => JSON.stringify(row, text)).sort();
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
          env: { SQLITE_PATH: path },
          another: () => openPersistence({ mysql: null, sqlitePath: path }),
          async rows(table) {
            const db = new Database(path, { readonly: true });
            try {
              return db.prepare(`select * from ${table}`).all() as Record<string, unknown>[];
            } finally {
              db.close();
            }
          },
          async snapshot() {
            const db = new Database(path, { readonly: true });
            try {
              const tables = db.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as { name: string }[];
              return Object.fromEntries(
                tables.map(({ name }) => [name, stableRows(db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[])]),
              );
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
          env: {
            DB_HOST: target.host,
            DB_PORT: String(target.port),
            DB_USER: target.user,
            DB_PASS: target.password,
            DB_NAME: target.dbName,
          },
          another: () => openPersistence({ mysql: target, sqlitePath: '' }),
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
          async snapshot() {
            const { dbName, ...server } = target;
            const connection = await createConnection({ ...server, database: dbName, charset: 'utf8mb4' });
            try {
              const [tables] = await connection.query(
                `select table_name as name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' order by 1`,
                [dbName],
              );
              const snapshot: Snapshot = {};
              for (const { name } of tables as { name: string }[]) {
                if (name === RATE_LIMIT_TABLE) continue;
                const [rows] = await connection.query(`select * from \`${name}\``);
                snapshot[name] = stableRows(rows as Record<string, unknown>[]);
              }
              return snapshot;
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
