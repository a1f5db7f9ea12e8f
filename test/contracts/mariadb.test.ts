import { expect } from 'chai';
import { DomainError } from '../../core/errors.js';
import { createOrm, runMigrations, type Database } from '../../adapters/persistence/create-orm.js';
import { MIGRATIONS } from '../../adapters/persistence/migrations/index.js';
import { InstagramConnectorSchema, PersonaSchema, SessionSchema, UserSchema } from '../../adapters/persistence/entities.js';
import { MikroOrmInstagramTokenStore } from '../../adapters/persistence/mikro-orm-instagram-token-store.js';
import { MikroOrmPersonaRepository } from '../../adapters/persistence/mikro-orm-persona-repository.js';
import { MikroOrmSessionStore } from '../../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUserRepository } from '../../adapters/persistence/mikro-orm-user-repository.js';
import { parseMySqlUrl, resetScratchDatabase } from '../support/mysql.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { describeInstagramTokenStore } from './instagram-token-store.contract.js';
import { describePersonaRepository } from './persona-repository.contract.js';
import { describeSessionStore } from './session-store.contract.js';
import { describeUserRepository } from './user-repository.contract.js';

const url = process.env.TEST_MYSQL_URL;

if (!url && process.env.CI) {
  throw new Error('CI must run the MariaDB contract suite: set TEST_MYSQL_URL (see .ci/run).');
} else if (!url) {
  console.log('TEST_MYSQL_URL is not set: the MariaDB/MySQL contract tests are not registered.');
} else {
  const target = parseMySqlUrl(url);

  describe(`MikroORM on MySQL/MariaDB (${target.host}:${target.port}/${target.dbName})`, () => {
    let db: Database;

    before(async () => {
      await resetScratchDatabase(target);
      db = await createOrm({ mysql: target, sqlitePath: ':memory:' });
      expect(await runMigrations(db.orm)).to.deep.equal(MIGRATIONS.map((migration) => migration.name));
    });
    after(async () => {
      await db?.close();
    });

    it('the committed migrations give exactly the schema of the entities', async () => {
      expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).to.equal('');
      expect(await runMigrations(db.orm)).to.deep.equal([]);
    });

    it('answers ping', async () => {
      expect(await db.ping().then(() => 'answered', (e) => e)).to.equal('answered');
    });

    it('answers db_unavailable while the server is unreachable, and recovers without a restart', async () => {
      const proxy = await startTcpProxy(target.host, target.port);
      const viaProxy = await createOrm({ mysql: { ...target, host: '127.0.0.1', port: proxy.port }, sqlitePath: '' });
      try {
        const users = new MikroOrmUserRepository(viaProxy.orm.em);
        expect(await users.findById(987_654_321)).to.equal(null);
        await proxy.stop();
        // first the pooled connection is lost, then new ones are refused
        for (const attempt of [1, 2]) {
          const error = await users.findById(1).then(() => null, (e: unknown) => e);
          expect(error, `attempt ${attempt}`).to.include({ kind: 'unavailable', code: 'db_unavailable' });
        }
        await proxy.start();
        expect(await users.findById(987_654_321)).to.equal(null);
        await viaProxy.ping();
      } finally {
        await viaProxy.close();
        await proxy.stop();
      }
    });

    it('keeps signed in, through the session_user migration, the sessions written before it', async () => {
      await emptyTables();
      const user = await new MikroOrmUserRepository(db.orm.em).upsertIdentity({ provider: 'kakao', providerUserId: '77', nickname: 'n', profileImage: null });
      await db.orm.getMigrator().down(); // the last one: back to sessions without user_id
      const insert = 'insert into ss_session (id, data, expires_at) values (?, ?, ?)';
      const later = new Date(Date.now() + 60_000);
      await db.orm.em.getConnection().execute(insert, ['signed-in', JSON.stringify({ userId: user.id, authAt: 1 }), later]);
      await db.orm.em.getConnection().execute(insert, ['anonymous', JSON.stringify({ userId: 'not a number' }), later]);
      expect(await runMigrations(db.orm)).to.deep.equal(['Migration20261129000000_session_user']);
      const sessions = new MikroOrmSessionStore(db.orm.em);
      expect((await sessions.get('signed-in', new Date()))?.user).to.deep.equal(user);
      expect((await sessions.get('anonymous', new Date()))?.user).to.equal(null);
      await emptyTables();
    });

    /** Suites share the migrated database; each test starts with empty tables. */
    async function emptyTables(): Promise<void> {
      const em = db.orm.em.fork();
      await em.nativeDelete(SessionSchema, {});
      await em.nativeDelete(InstagramConnectorSchema, {});
      await em.nativeDelete(PersonaSchema, {});
      await em.nativeDelete(UserSchema, {});
    }
    const noop = async () => {};

    describeUserRepository('MikroORM on MySQL/MariaDB', async () => {
      await emptyTables();
      return { repo: new MikroOrmUserRepository(db.orm.em), teardown: noop };
    });
    describeSessionStore('MikroORM on MySQL/MariaDB', async () => {
      await emptyTables();
      return { store: new MikroOrmSessionStore(db.orm.em), users: new MikroOrmUserRepository(db.orm.em), teardown: noop };
    });
    describePersonaRepository('MikroORM on MySQL/MariaDB', async () => {
      await emptyTables();
      const em = db.orm.em;
      return {
        personas: new MikroOrmPersonaRepository(em),
        tokens: new MikroOrmInstagramTokenStore(em),
        users: new MikroOrmUserRepository(em),
        teardown: noop,
      };
    });
    describeInstagramTokenStore('MikroORM on MySQL/MariaDB', async () => {
      await emptyTables();
      return { tokens: new MikroOrmInstagramTokenStore(db.orm.em), users: new MikroOrmUserRepository(db.orm.em), teardown: noop };
    });
  });
}

describe('MikroORM on MySQL with no server listening', () => {
  let db: Database;

  before(async () => {
    db = await createOrm({
      mysql: { host: '127.0.0.1', port: 1, user: 'root', password: '', dbName: 'nowhere' },
      sqlitePath: ':memory:',
    });
  });
  after(async () => {
    await db?.close();
  });

  it('repositories answer DomainError db_unavailable, and ping too', async () => {
    const users = new MikroOrmUserRepository(db.orm.em);
    const sessions = new MikroOrmSessionStore(db.orm.em);
    const personas = new MikroOrmPersonaRepository(db.orm.em);
    const tokens = new MikroOrmInstagramTokenStore(db.orm.em);
    const calls = [
      () => users.findById(1),
      () => sessions.get('x', new Date()),
      () => personas.create(1, 'p', {}),
      () => personas.findOwned(1, { num: 1 }),
      () => personas.unlinkInstagram(1, { id: 1 }),
      () => tokens.save(1, 1, { sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' }, expiresAt: null }),
      () => db.ping(),
    ];
    for (const call of calls) {
      const error = await call().then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(DomainError);
      expect(error).to.include({ kind: 'unavailable', code: 'db_unavailable' });
    }
  });
});
