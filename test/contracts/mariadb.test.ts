import { MariaDbDriver } from '@mikro-orm/mariadb';
import { MySqlDriver } from '@mikro-orm/mysql';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { DomainError } from '../../core/shared/index.js';
import { createOrm, runMigrations, type Database } from '../../adapters/persistence/create-orm.js';
import { MIGRATIONS } from '../../adapters/persistence/migrations/index.js';
import {
  InstagramConnectorSchema,
  PersonaInsightDaySchema,
  PostInsightSchema,
  MediaSchema,
  JobSchema,
  MetaDeletionRequestSchema,
  PersonaSchema,
  PostMediaSchema,
  PostSchema,
  SessionSchema,
  UsedStateSchema,
  UserSchema,
} from '../../adapters/persistence/entities.js';
import { MikroOrmInsightsStore } from '../../adapters/persistence/mikro-orm-insights-store.js';
import { MikroOrmInstagramTokenStore } from '../../adapters/persistence/mikro-orm-instagram-token-store.js';
import { MikroOrmMediaLibrary } from '../../adapters/persistence/mikro-orm-media-library.js';
import { MikroOrmJobQueue } from '../../adapters/persistence/mikro-orm-job-queue.js';
import { MikroOrmTransactionRunner } from '../../adapters/persistence/mikro-orm-transaction-runner.js';
import { MikroOrmMetaDeletionRequests } from '../../adapters/persistence/mikro-orm-meta-deletion-requests.js';
import { MikroOrmPersonaRepository } from '../../adapters/persistence/mikro-orm-persona-repository.js';
import { MikroOrmSessionStore } from '../../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUsedStateStore } from '../../adapters/persistence/mikro-orm-used-state-store.js';
import { MikroOrmUserRepository } from '../../adapters/persistence/mikro-orm-user-repository.js';
import { openStatementPool } from '../../adapters/persistence/statement-pool.js';
import { openRateLimits } from '../../composition/rate-limits.js';
import { mikroOrmPostFixture, mikroOrmStores } from '../support/mikro-orm-stores.js';
import { parseMySqlUrl, resetScratchDatabase, serverVersion } from '../support/mysql.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { describeInsightsStore } from './insights-store.contract.js';
import { describeInstagramTokenStore } from './instagram-token-store.contract.js';
import { describeMediaLibrary } from './media-library.contract.js';
import { describeJobQueue } from './job-queue.contract.js';
import { describeListPlans } from './list-plans.js';
import { describeMetaDeletionRequests } from './meta-deletion-requests.contract.js';
import { describePersonaRepository } from './persona-repository.contract.js';
import { describePostRepository } from './post-repository.contract.js';
import { describeRateLimiter } from './rate-limiter.contract.js';
import { describeSessionStore } from './session-store.contract.js';
import { describeUsedStateStore } from './used-state-store.contract.js';
import { describeUserErasure } from './user-erasure.contract.js';
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
      expect(
        await db.ping().then(
          () => 'answered',
          (e) => e,
        ),
      ).to.equal('answered');
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
          const error = await users.findById(1).then(
            () => null,
            (e: unknown) => e,
          );
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

    it('upgrades old sessions: session_id_hash deletes every row keyed by a raw id, and rows keep only the hash', async () => {
      await emptyTables();
      const user = await new MikroOrmUserRepository(db.orm.em).upsertIdentity({
        provider: 'kakao',
        providerUserId: '77',
        nickname: 'n',
        profileImage: null,
      });
      const migrator = db.orm.getMigrator();
      await migrator.down({ to: 'Migration20261129000000_session_user' }); // inclusive: back to the initial schema
      const connection = db.orm.em.getConnection();
      const later = new Date(Date.now() + 60_000);
      await connection.execute('insert into ss_session (id, data, expires_at) values (?, ?, ?)', [
        'raw-id',
        JSON.stringify({ userId: user.id }),
        later,
      ]);
      // every migration after the initial one, this one and those that came later
      expect(await runMigrations(db.orm)).to.deep.equal(MIGRATIONS.slice(1).map((migration) => migration.name));
      expect(await connection.execute('select id from ss_session')).to.deep.equal([]);
      await new MikroOrmSessionStore(db.orm.em).set('a-session-id', { userId: user.id }, later);
      const sha256 = createHash('sha256').update('a-session-id').digest('hex');
      expect(await connection.execute('select id, user_id as userId from ss_session'), 'only the hash at rest').to.deep.equal([
        { id: sha256, userId: user.id },
      ]);
      await emptyTables();
    });

    it("runs on MikroORM's MariaDB driver when the server is MariaDB, else on its MySQL driver", async () => {
      const mariaDb = /mariadb/i.test(await serverVersion(target));
      expect(db.orm.config.getDriver()).to.be.instanceOf(mariaDb ? MariaDbDriver : MySqlDriver);
    });

    /** Suites share the migrated database; each test starts with empty tables. */
    async function emptyTables(): Promise<void> {
      const em = db.orm.em.fork();
      await em.nativeDelete(JobSchema, {});
      await em.nativeDelete(PostInsightSchema, {});
      await em.nativeDelete(PersonaInsightDaySchema, {});
      await em.nativeDelete(SessionSchema, {});
      await em.nativeDelete(MetaDeletionRequestSchema, {});
      await em.nativeDelete(UsedStateSchema, {});
      await em.nativeDelete(MediaSchema, {});
      await em.nativeDelete(PostMediaSchema, {});
      await em.nativeDelete(PostSchema, {});
      await em.nativeDelete(InstagramConnectorSchema, {});
      await em.nativeDelete(PersonaSchema, {});
      await em.nativeDelete(UserSchema, {});
    }

    /** The store contracts on an ORM over the migrated database, in the process's time zone or in `timeZone`. */
    function describeStores(name: string, orm: () => Database['orm'], timeZone?: string): void {
      const processZone = process.env.TZ;
      const setUp = async () => {
        await emptyTables();
        if (timeZone) process.env.TZ = timeZone;
        return orm().em;
      };
      const teardown = async () => {
        if (!timeZone) return;
        if (processZone === undefined) delete process.env.TZ;
        else process.env.TZ = processZone;
      };
      describeUserRepository(name, async () => {
        const em = await setUp();
        return { repo: new MikroOrmUserRepository(em), teardown };
      });
      describeSessionStore(name, async () => {
        const em = await setUp();
        return { store: new MikroOrmSessionStore(em), users: new MikroOrmUserRepository(em), teardown };
      });
      describePersonaRepository(name, async () => {
        const em = await setUp();
        return {
          personas: new MikroOrmPersonaRepository(em),
          tokens: new MikroOrmInstagramTokenStore(em),
          users: new MikroOrmUserRepository(em),
          teardown,
        };
      });
      describeInstagramTokenStore(name, async () => {
        const em = await setUp();
        return { tokens: new MikroOrmInstagramTokenStore(em), users: new MikroOrmUserRepository(em), teardown };
      });
      describeInsightsStore(name, async () => {
        const em = await setUp();
        return {
          store: new MikroOrmInsightsStore(em),
          users: new MikroOrmUserRepository(em),
          personas: new MikroOrmPersonaRepository(em),
          teardown,
        };
      });
      describeMetaDeletionRequests(name, async () => {
        const em = await setUp();
        return { requests: new MikroOrmMetaDeletionRequests(em), teardown };
      });
      describeUsedStateStore(name, async () => ({ store: new MikroOrmUsedStateStore(await setUp()), teardown }));
      describeMediaLibrary(name, async () => {
        const em = await setUp();
        return { library: new MikroOrmMediaLibrary(em), users: new MikroOrmUserRepository(em), teardown };
      });
      describeJobQueue(
        name,
        async () => {
          const em = await setUp();
          return {
            queue: new MikroOrmJobQueue(em),
            other: new MikroOrmJobQueue(em),
            transactions: new MikroOrmTransactionRunner(em),
            teardown,
          };
        },
        { rollsBack: true },
      );
      describePostRepository(
        name,
        async () => {
          const em = await setUp();
          return mikroOrmPostFixture(em, teardown);
        },
        { rollsBack: true },
      );
      describeUserErasure(name, async () => ({ ...mikroOrmStores(await setUp()), teardown }), { rollsBack: true });
    }

    // Both ways of counting, each checked against a limiter of the other kind on the same table: the library's
    // transaction (what MySQL gets) and MariaDB's one statement through the ORM's pipelined pool.
    for (const [how, oneStatement] of [
      ["the library's transaction", false],
      ['one RETURNING statement (MariaDB)', true],
    ] as const) {
      describeRateLimiter(
        `rate-limiter-flexible on MySQL/MariaDB (the migrated ss_rate_limit), ${how}`,
        async () => {
          if (oneStatement) expect(db.mariaDbStatements, 'a MariaDB server (CI runs one)').to.not.equal(null);
          const [one, two] = await Promise.all([
            openRateLimits({ mysql: target }, oneStatement ? db.mariaDbStatements : null),
            openRateLimits({ mysql: target }, oneStatement ? null : db.mariaDbStatements),
          ]);
          return {
            limiter: one.limiter,
            sameStore: two.limiter,
            teardown: async () => void (await Promise.all([one.close(), two.close()])),
          };
        },
        async () => {
          const nowhere = { ...target, host: '127.0.0.1', port: 1 };
          const statements = oneStatement ? await openStatementPool(true, nowhere, { connectTimeout: 1000, connectionLimit: 1 }) : null;
          const limits = await openRateLimits({ mysql: nowhere }, statements);
          return { limiter: limits.limiter, close: async () => void (await Promise.all([limits.close(), statements?.close()])) };
        },
      );
    }

    describeStores('MikroORM on MySQL/MariaDB', () => db.orm);
    describeListPlans('MikroORM on MySQL/MariaDB (the migrated schema)', async () => {
      await emptyTables();
      return { em: db.orm.em, teardown: emptyTables };
    });
    // Times are UTC in the database; the mariadb connector would send a Date in the process's zone.
    describeStores('MikroORM on MySQL/MariaDB, the process in Asia/Seoul', () => db.orm, 'Asia/Seoul');

    describe('the server down when the app starts', () => {
      let proxy: TcpProxy;
      let late: Database;

      before(async () => {
        proxy = await startTcpProxy(target.host, target.port);
        await proxy.stop();
        late = await createOrm({ mysql: { ...target, host: '127.0.0.1', port: proxy.port }, sqlitePath: '' });
      });
      after(async () => {
        await late?.close();
        await proxy?.stop();
      });

      it("starts on MikroORM's MySQL driver, answers db_unavailable, and serves once the server is back", async () => {
        expect(late.orm.config.getDriver()).to.be.instanceOf(MySqlDriver);
        const users = new MikroOrmUserRepository(late.orm.em);
        const error = await users.findById(1).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).to.include({ kind: 'unavailable', code: 'db_unavailable' });
        await proxy.start();
        expect(await users.findById(987_654_321)).to.equal(null);
        await late.ping();
      });

      // On MariaDB too: the stores give the same answers through either driver.
      describeStores("MikroORM's MySQL driver, the server down at start", () => late.orm);
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

  it("starts on MikroORM's MySQL driver (the server cannot say it is MariaDB)", () => {
    expect(db.orm.config.getDriver()).to.be.instanceOf(MySqlDriver);
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
      () =>
        tokens.save(1, 1, {
          sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' },
          expiresAt: null,
          metaUserId: null,
          storedAt: new Date(),
        }),
      () => personas.unlinkMetaUser('1', new Date()),
      () => new MikroOrmMetaDeletionRequests(db.orm.em).findByCode('c'),
      () => db.ping(),
    ];
    for (const call of calls) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(DomainError);
      expect(error).to.include({ kind: 'unavailable', code: 'db_unavailable' });
    }
  });
});
