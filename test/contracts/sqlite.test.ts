import { RequestContext } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { createOrm, type Database } from '../../adapters/persistence/create-orm.js';
import { MikroOrmInstagramTokenStore } from '../../adapters/persistence/mikro-orm-instagram-token-store.js';
import { MikroOrmPersonaRepository } from '../../adapters/persistence/mikro-orm-persona-repository.js';
import { MikroOrmSessionStore } from '../../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUserRepository } from '../../adapters/persistence/mikro-orm-user-repository.js';
import { describeInstagramTokenStore } from './instagram-token-store.contract.js';
import { describePersonaRepository } from './persona-repository.contract.js';
import { describeSessionStore } from './session-store.contract.js';
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
  return { store: new MikroOrmSessionStore(db.orm.em), teardown: () => db.close() };
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

  it("joins the caller's transaction: a rollback undoes the repository's write", async () => {
    const db = await freshSqlite();
    try {
      const repo = new MikroOrmUserRepository(db.orm.em);
      const user = await repo.upsertIdentity(alice);
      const rolledBack = db.orm.em.transactional(async () => {
        expect(await repo.updateProfile(user.id, { birthday: '2001-01-01', gender: '여성' })).to.equal(true);
        throw new Error('roll back');
      });
      expect(await rolledBack.then(() => null, (e: Error) => e.message)).to.equal('roll back');
      expect((await repo.findById(user.id))?.birthday).to.equal(null);
    } finally {
      await db.close();
    }
  });

  it('uses the RequestContext EntityManager when one is active', async () => {
    const db = await freshSqlite();
    try {
      const repo = new MikroOrmUserRepository(db.orm.em);
      await RequestContext.create(db.orm.em, async () => {
        const requestEm = RequestContext.getEntityManager() as SqlEntityManager;
        const spy = sinon.spy(requestEm, 'nativeUpdate');
        await repo.updateProfile(1, { birthday: '1995-04-12', gender: '여성' });
        expect(spy.calledOnce).to.equal(true);
      });
    } finally {
      await db.close();
    }
  });
});
