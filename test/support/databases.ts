import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrm, runMigrations } from '../../adapters/persistence/create-orm.js';
import { openPersistence, type Persistence } from '../../composition/persistence.js';
import { parseMySqlUrl, resetScratchDatabase } from './mysql.js';

export interface TestDatabase {
  name: string;
  /** A fresh, empty database behind the app's real persistence. */
  open(): Promise<Persistence>;
}

/** Embedded SQLite (a temp file), and MariaDB when TEST_MYSQL_URL is set (migrated from scratch). */
export function realDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [
    {
      name: 'SQLite',
      open: () => openPersistence({ mysql: null, sqlitePath: join(mkdtempSync(join(tmpdir(), 'selfstar-')), 'test.sqlite') }),
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
        return openPersistence({ mysql: target, sqlitePath: '' });
      },
    });
  }
  return databases;
}
