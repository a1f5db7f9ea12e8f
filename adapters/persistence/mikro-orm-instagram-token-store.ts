import type { SqlEntityManager } from '@mikro-orm/mysql';
import { wholeSecond } from '../../core/personas/index.js';
import type { InstagramTokenStore, SealedToken, StoredToken } from '../../core/instagram/index.js';
import { InstagramConnectorSchema, type InstagramConnectorRow } from './entities.js';
import { currentEm } from './current-em.js';
import { translateDbErrors } from './translate-db-errors.js';

type TokenColumns = Pick<
  InstagramConnectorRow,
  'tokenCiphertext' | 'tokenIv' | 'tokenTag' | 'keyId' | 'expiresAt' | 'metaUserId' | 'needsReconnect' | 'updatedAt' | 'login'
>;

const PAGE_TOKEN_COLUMNS = ['pageTokenCiphertext', 'pageTokenIv', 'pageTokenTag', 'pageKeyId'] as const;
const NO_PAGE_TOKEN = { pageTokenCiphertext: null, pageTokenIv: null, pageTokenTag: null, pageKeyId: null };

/**
 * ss_instagram_connector_persona through MikroORM, one statement per call. Expiries are kept to the
 * whole second (the MySQL `datetime` column holds no fraction), on every database alike.
 */
export class MikroOrmInstagramTokenStore implements InstagramTokenStore {
  constructor(private readonly em: SqlEntityManager) {}

  /**
   * insert … on conflict (user_id, user_persona_num) do update / on duplicate key update: besides
   * the auto-increment id (never given), that pair is the table's only unique key.
   */
  save(userId: number, personaNum: number, token: StoredToken): Promise<void> {
    return translateDbErrors(async () => {
      const { ciphertext, iv, tag, keyId } = token.sealed;
      const expiresAt = token.expiresAt === null ? null : wholeSecond(token.expiresAt);
      const columns = {
        tokenCiphertext: ciphertext,
        tokenIv: iv,
        tokenTag: tag,
        keyId,
        expiresAt,
        metaUserId: token.metaUserId,
        needsReconnect: false,
        login: token.login ?? 'facebook',
      };
      await currentEm(this.em)
        .createQueryBuilder(InstagramConnectorSchema)
        .insert({ userId, personaNum, ...columns, ...NO_PAGE_TOKEN, updatedAt: wholeSecond(token.storedAt) })
        .onConflict(['userId', 'personaNum'])
        .merge([...(Object.keys(columns) as (keyof typeof columns)[]), 'updatedAt', ...PAGE_TOKEN_COLUMNS])
        .execute('run');
    });
  }

  get(userId: number, personaNum: number): Promise<StoredToken | null> {
    return translateDbErrors(async () => {
      const row = await currentEm(this.em)
        .createQueryBuilder(InstagramConnectorSchema)
        .select(['tokenCiphertext', 'tokenIv', 'tokenTag', 'keyId', 'expiresAt', 'metaUserId', 'needsReconnect', 'updatedAt', 'login'])
        .where({ userId, personaNum })
        .limit(1)
        .execute<TokenColumns | undefined>('get');
      if (!row) return null;
      return {
        sealed: { ciphertext: row.tokenCiphertext, iv: row.tokenIv, tag: row.tokenTag, keyId: row.keyId },
        expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
        metaUserId: row.metaUserId,
        storedAt: new Date(row.updatedAt),
        // A tinyint on MySQL/MariaDB, an integer on SQLite.
        needsReconnect: Boolean(Number(row.needsReconnect)),
        login: row.login === 'instagram' ? 'instagram' : 'facebook',
      };
    });
  }

  savePageToken(userId: number, personaNum: number, sealed: SealedToken): Promise<boolean> {
    return translateDbErrors(async () => {
      const { ciphertext, iv, tag, keyId } = sealed;
      const changed = await currentEm(this.em).nativeUpdate(
        InstagramConnectorSchema,
        { userId, personaNum },
        { pageTokenCiphertext: ciphertext, pageTokenIv: iv, pageTokenTag: tag, pageKeyId: keyId },
      );
      return changed > 0;
    });
  }

  getPageToken(userId: number, personaNum: number): Promise<SealedToken | null> {
    return translateDbErrors(async () => {
      const row = await currentEm(this.em)
        .createQueryBuilder(InstagramConnectorSchema)
        .select([...PAGE_TOKEN_COLUMNS])
        .where({ userId, personaNum })
        .limit(1)
        .execute<Pick<InstagramConnectorRow, (typeof PAGE_TOKEN_COLUMNS)[number]> | undefined>('get');
      if (!row?.pageTokenCiphertext || !row.pageTokenIv || !row.pageTokenTag || !row.pageKeyId) return null;
      return { ciphertext: row.pageTokenCiphertext, iv: row.pageTokenIv, tag: row.pageTokenTag, keyId: row.pageKeyId };
    });
  }

  replaceRefreshed(userId: number, personaNum: number, sealed: SealedToken, expiresAt: Date | null): Promise<boolean> {
    return translateDbErrors(async () => {
      const { ciphertext, iv, tag, keyId } = sealed;
      const changed = await currentEm(this.em).nativeUpdate(
        InstagramConnectorSchema,
        { userId, personaNum },
        { tokenCiphertext: ciphertext, tokenIv: iv, tokenTag: tag, keyId, expiresAt: expiresAt === null ? null : wholeSecond(expiresAt) },
      );
      return changed > 0;
    });
  }

  markNeedsReconnect(userId: number, personaNum: number): Promise<boolean> {
    return translateDbErrors(async () => {
      const changed = await currentEm(this.em).nativeUpdate(InstagramConnectorSchema, { userId, personaNum }, { needsReconnect: true });
      return changed > 0;
    });
  }

  delete(userId: number, personaNum: number): Promise<void> {
    return translateDbErrors(async () => {
      await currentEm(this.em).nativeDelete(InstagramConnectorSchema, { userId, personaNum });
    });
  }

  deleteUserData(userId: number): Promise<string[]> {
    return translateDbErrors(async () => {
      await currentEm(this.em).nativeDelete(InstagramConnectorSchema, { userId });
      return [];
    });
  }
}
