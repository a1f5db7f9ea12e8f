import type { EntitySchema } from '@mikro-orm/core';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import LibSql from 'libsql';
import sinon from 'sinon';
import { createOrm, type Database } from '../../adapters/persistence/create-orm.js';
import { fieldsOf } from '../../adapters/persistence/columns.js';
import { currentEm } from '../../adapters/persistence/current-em.js';
import { ENTITIES, UserSchema } from '../../adapters/persistence/entities.js';
import { runPrepared } from '../../adapters/persistence/prepared-sql.js';
import { MikroOrmInsightsStore } from '../../adapters/persistence/mikro-orm-insights-store.js';
import { MikroOrmInstagramTokenStore } from '../../adapters/persistence/mikro-orm-instagram-token-store.js';
import { MikroOrmMediaLibrary } from '../../adapters/persistence/mikro-orm-media-library.js';
import { MikroOrmJobQueue } from '../../adapters/persistence/mikro-orm-job-queue.js';
import { MikroOrmTransactionRunner } from '../../adapters/persistence/mikro-orm-transaction-runner.js';
import { MikroOrmMetaDeletionRequests } from '../../adapters/persistence/mikro-orm-meta-deletion-requests.js';
import { MikroOrmPersonaRepository } from '../../adapters/persistence/mikro-orm-persona-repository.js';
import { MikroOrmSessionStore } from '../../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUsedStateStore } from '../../adapters/persistence/mikro-orm-used-state-store.js';
import { mikroOrmPostFixture, mikroOrmStores } from '../support/mikro-orm-stores.js';
import { MikroOrmUserRepository } from '../../adapters/persistence/mikro-orm-user-repository.js';
import { describeInsightsStore } from './insights-store.contract.js';
import { describeInstagramTokenStore } from './instagram-token-store.contract.js';
import { describeMediaLibrary } from './media-library.contract.js';
import { describeJobQueue } from './job-queue.contract.js';
import { describeListPlans } from './list-plans.js';
import { describeMetaDeletionRequests } from './meta-deletion-requests.contract.js';
import { describePersonaRepository } from './persona-repository.contract.js';
import { describePostRepository } from './post-repository.contract.js';
import { describeSessionStore } from './session-store.contract.js';
import { describeUsedStateStore } from './used-state-store.contract.js';
import { describeUserErasure } from './user-erasure.contract.js';
import { describeUserRepository } from './user-repository.contract.js';

/** A fresh in-memory SQLite database (schema created by createOrm) per test. */
async function freshSqlite(): Promise<Database> {
  return createOrm({ mysql: null, sqlitePath: ':memory:' });
}

describeUserRepository('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  return { repo: new MikroOrmUserRepository(db.orm.em), teardown: () => db.close() };
});

describeSessionStore('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  return { store: new MikroOrmSessionStore(db.orm.em), users: new MikroOrmUserRepository(db.orm.em), teardown: () => db.close() };
});

describePersonaRepository('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  const em = db.orm.em;
  return {
    personas: new MikroOrmPersonaRepository(em),
    tokens: new MikroOrmInstagramTokenStore(em),
    users: new MikroOrmUserRepository(em),
    teardown: () => db.close(),
  };
});

describeInstagramTokenStore('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  return { tokens: new MikroOrmInstagramTokenStore(db.orm.em), users: new MikroOrmUserRepository(db.orm.em), teardown: () => db.close() };
});

describeInsightsStore('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  const em = db.orm.em;
  return {
    store: new MikroOrmInsightsStore(em),
    users: new MikroOrmUserRepository(em),
    personas: new MikroOrmPersonaRepository(em),
    teardown: () => db.close(),
  };
});

describeMetaDeletionRequests('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  return { requests: new MikroOrmMetaDeletionRequests(db.orm.em), teardown: () => db.close() };
});
describeUsedStateStore('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  return { store: new MikroOrmUsedStateStore(db.orm.em), teardown: () => db.close() };
});

describeMediaLibrary('MikroORM on SQLite', async () => {
  const db = await freshSqlite();
  return { library: new MikroOrmMediaLibrary(db.orm.em), users: new MikroOrmUserRepository(db.orm.em), teardown: () => db.close() };
});
describeJobQueue(
  'MikroORM on SQLite',
  async () => {
    const db = await freshSqlite();
    const em = db.orm.em;
    return {
      queue: new MikroOrmJobQueue(em),
      other: new MikroOrmJobQueue(em),
      transactions: new MikroOrmTransactionRunner(em),
      teardown: () => db.close(),
    };
  },
  { rollsBack: true },
);

describePostRepository(
  'MikroORM on SQLite',
  async () => {
    const db = await freshSqlite();
    const em = db.orm.em;
    return mikroOrmPostFixture(em, () => db.close());
  },
  { rollsBack: true },
);

describeListPlans('MikroORM on SQLite (a file, as the server runs it)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'selfstar-plans-'));
  const db = await createOrm({ mysql: null, sqlitePath: join(dir, 'plans.sqlite') });
  return {
    em: db.orm.em,
    teardown: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeUserErasure(
  'MikroORM on SQLite',
  async () => {
    const db = await freshSqlite();
    return { ...mikroOrmStores(db.orm.em), teardown: () => db.close() };
  },
  { rollsBack: true },
);

describe('MikroORM on SQLite: files and contexts', () => {
  const alice = { provider: 'kakao', providerUserId: '4242', nickname: '앨리스', profileImage: null } as const;

  it('creates the parent directory, and a restart keeps the data (schema update is idempotent)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfstar-sqlite-'));
    const sqlitePath = join(dir, 'nested', 'deeper', 'selfstar.sqlite');
    try {
      const first = await createOrm({ mysql: null, sqlitePath });
      const user = await new MikroOrmUserRepository(first.orm.em).upsertIdentity(alice);
      await first.close();
      const second = await createOrm({ mysql: null, sqlitePath });
      expect(await second.orm.schema.getUpdateSchemaSQL({ wrap: false })).to.equal('');
      expect(await new MikroOrmUserRepository(second.orm.em).findById(user.id)).to.deep.equal(user);
      await second.ping();
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('compares the schema at a start only when the entities or the tables changed since the last update', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfstar-sqlite-'));
    const sqlitePath = join(dir, 'selfstar.sqlite');
    // Reading a table's definition back (pragma table_info …), or creating it in a new database.
    const comparing = /^(pragma (table_x?info|index_list|foreign_key_list)|create table)/i;
    const start = async () => {
      const queries: string[] = [];
      const db = await createOrm({ mysql: null, sqlitePath, onQuery: (sql) => queries.push(sql) });
      return { db, compared: queries.some((sql) => comparing.test(sql)) };
    };
    const index = async (db: Database) =>
      db.orm.em.getConnection().execute(`select name from sqlite_master where name = 'ss_session_expires_at_idx'`);
    try {
      const first = await start();
      expect(first.compared, 'a new database').to.equal(true);
      await first.db.close();
      const second = await start();
      expect(second.compared, 'nothing changed').to.equal(false);
      expect(await second.db.orm.schema.getUpdateSchemaSQL({ wrap: false })).to.equal('');
      await second.db.orm.em.getConnection().execute('drop index ss_session_expires_at_idx');
      await second.db.close();
      const third = await start();
      expect(third.compared, 'an index dropped by hand').to.equal(true);
      expect(await index(third.db)).to.have.length(1);
      await third.db.orm.em.getConnection().execute('pragma user_version = 12345');
      await third.db.close();
      const fourth = await start();
      expect(fourth.compared, 'a stamp from elsewhere').to.equal(true);
      await fourth.db.close();
      expect((await start()).compared, 'nothing changed since').to.equal(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("joins the caller's transaction: a rollback undoes the repository's write", async () => {
    const db = await freshSqlite();
    try {
      const repo = new MikroOrmUserRepository(db.orm.em);
      const user = await repo.upsertIdentity(alice);
      const rolledBack = db.orm.em.transactional(async () => {
        expect(await repo.updateProfile(user.id, { birthday: '2001-01-01', gender: '여성' })).to.equal(true);
        throw new Error('roll back');
      });
      expect(
        await rolledBack.then(
          () => null,
          (e: Error) => e.message,
        ),
      ).to.equal('roll back');
      expect((await repo.findById(user.id))?.birthday).to.equal(null);
    } finally {
      await db.close();
    }
  });

  it('keeps WAL, synchronous=normal and foreign keys on every connection, also after the pool replaces one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfstar-pragmas-'));
    const db = await createOrm({ mysql: null, sqlitePath: join(dir, 'db.sqlite') });
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      const client = db.orm.em.getConnection().getKnex().client;
      const settingsOfConnection = async () => {
        const connection = await client.acquireConnection();
        try {
          const read = (pragma: string) => Object.values(connection.prepare(`pragma ${pragma}`).get())[0];
          return { connection, journal: read('journal_mode'), synchronous: read('synchronous'), foreignKeys: read('foreign_keys') };
        } finally {
          await client.releaseConnection(connection);
        }
      };
      const expected = { journal: 'wal', synchronous: 1, foreignKeys: 1 };
      const first = await settingsOfConnection();
      expect(first).to.deep.include(expected);
      clock.tick(11_000); // the libsql dialect retires connections older than 10 s
      const second = await settingsOfConnection();
      expect(second.connection).to.not.equal(first.connection);
      expect(second).to.deep.include(expected);
    } finally {
      clock.restore();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('inRequestScope gives a unit of work one EntityManager of its own', async () => {
    const db = await freshSqlite();
    try {
      const seen = async () => [currentEm(db.orm.em), currentEm(db.orm.em)];
      const [a1, a2] = await db.inRequestScope(seen);
      const [b1] = await db.inRequestScope(seen);
      const [outside1, outside2] = await seen();
      expect(a1).to.equal(a2);
      expect(b1).to.not.equal(a1);
      expect(outside1, 'outside a scope every call forks').to.not.equal(outside2);
      expect(await db.inRequestScope(async () => 42)).to.equal(42);
    } finally {
      await db.close();
    }
  });

  it('deletes, at start, session rows keyed by raw ids (from before ids were stored hashed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selfstar-sqlite-'));
    const sqlitePath = join(dir, 'old.sqlite');
    try {
      const first = await createOrm({ mysql: null, sqlitePath });
      const user = await new MikroOrmUserRepository(first.orm.em).upsertIdentity(alice);
      const sessions = new MikroOrmSessionStore(first.orm.em);
      const later = new Date(Date.now() + 60_000);
      await sessions.set('current', { userId: user.id }, later);
      const raw = 'r'.repeat(43); // a session id as the old code stored it
      await first.orm.em
        .getConnection()
        .execute('insert into ss_session (id, data, expires_at) values (?, ?, ?)', [raw, '{}', later.getTime()]);
      await first.close();
      const second = await createOrm({ mysql: null, sqlitePath });
      const ids = await second.orm.em.getConnection().execute<{ id: string }[]>('select id from ss_session');
      expect(ids.map((row) => row.id)).to.deep.equal([createHash('sha256').update('current').digest('hex')]);
      expect((await new MikroOrmSessionStore(second.orm.em).get('current', new Date()))?.user).to.deep.equal(user);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads each table's columns from its schema as MikroORM maps them, and as the table has them", async () => {
    const db = await freshSqlite();
    try {
      for (const schema of ENTITIES as EntitySchema[]) {
        const meta = db.orm.getMetadata().get(schema.meta.className);
        const mapped = meta.props.map((prop) => [prop.fieldNames[0], prop.name]);
        expect(fieldsOf(schema), meta.tableName).to.deep.equal(mapped);
        const table = await db.orm.em.getConnection().execute<{ name: string }[]>(`pragma table_info(${meta.tableName})`);
        expect(
          fieldsOf(schema).map(([column]) => column),
          meta.tableName,
        ).to.have.members(table.map((column) => column.name));
      }
    } finally {
      await db.close();
    }
  });

  /** A database in a file, as the server runs it: the hot statements then have a connection of their own. */
  async function inFile(work: (db: Database) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'selfstar-hot-'));
    const db = await createOrm({ mysql: null, sqlitePath: join(dir, 'db.sqlite') });
    try {
      await work(db);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('runs the hot statements on a connection of their own, each prepared once, forking no EntityManager', () =>
    inFile(async (db) => {
      const users = new MikroOrmUserRepository(db.orm.em);
      const sessions = new MikroOrmSessionStore(db.orm.em);
      const user = await users.upsertIdentity(alice);
      await sessions.set('s1', { userId: user.id }, new Date(Date.now() + 60_000));
      const prepare = sinon.spy(LibSql.prototype, 'prepare');
      const fork = sinon.spy(db.orm.em, 'fork');
      try {
        for (let i = 0; i < 3; i++) {
          expect(await sessions.get('s1', new Date())).to.deep.include({ data: { userId: user.id } });
          expect((await users.findById(user.id))?.id).to.equal(user.id);
          expect(await users.updateProfile(user.id, { birthday: `200${i}-01-01`, gender: '여성' })).to.equal(true);
        }
        expect((await users.findById(user.id))?.birthday).to.equal('2002-01-01');
        expect(prepare.callCount).to.equal(3); // one per statement, whichever ran first
        expect(fork.callCount).to.equal(0);
      } finally {
        prepare.restore();
      }
    }));

  it("keeps the ORM's per-connection settings on the hot statements' connection", () =>
    inFile(async (db) => {
      const read = async (pragma: string) => Object.values((await runPrepared(db.orm.em, `pragma ${pragma}`, [], 'get')) as object)[0];
      expect({
        journal: await read('journal_mode'),
        synchronous: await read('synchronous'),
        foreignKeys: await read('foreign_keys'),
      }).to.deep.equal({
        journal: 'wal',
        synchronous: 1,
        foreignKeys: 1,
      });
    }));

  it("holds a hot write back while a transaction of the ORM is open: it lands after, and the transaction's own write succeeds", () =>
    inFile(async (db) => {
      const users = new MikroOrmUserRepository(db.orm.em);
      const user = await users.upsertIdentity(alice);
      let hasRead!: () => void;
      let release!: () => void;
      const read = new Promise<void>((resolve) => (hasRead = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = db.orm.em.transactional(async (em) => {
        expect(await em.count(UserSchema, {})).to.equal(1); // the transaction's snapshot
        hasRead();
        await held;
        await em.nativeUpdate(UserSchema, { id: user.id }, { nickname: '트랜잭션' });
      });
      await read;
      let updated = false;
      const update = users.updateProfile(user.id, { birthday: '2001-01-01', gender: '여성' }).then((done) => (updated = done));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(updated, 'the write waits for the transaction').to.equal(false);
      release();
      await Promise.all([transaction, update]);
      expect(updated).to.equal(true);
      expect(await users.findById(user.id)).to.deep.include({ nickname: '트랜잭션', birthday: '2001-01-01' });
      expect(await users.updateProfile(user.id, { birthday: '2002-02-02', gender: '여성' }), 'and after it, writes run again').to.equal(
        true,
      );
    }));
});
