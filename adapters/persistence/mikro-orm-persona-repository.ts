import { DeadlockException, raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { errors } from '../../core/shared/index.js';
import {
  instagramParameters,
  wholeSecond,
  type InstagramLink,
  type InstagramLogin,
  type Persona,
  type PersonaRef,
  type PersonaRepository,
} from '../../core/personas/index.js';
import { InstagramConnectorSchema, PersonaSchema, type PersonaRow } from './entities.js';
import { currentEm } from './current-em.js';
import { toDate } from './column-values.js';
import { selectList } from './columns.js';
import { runPrepared } from './prepared-sql.js';
import { translateDbErrors } from './translate-db-errors.js';

/**
 * Each round at least one of the racing creates wins; losers back off for a random, growing delay so
 * late arrivals do not keep starving them (without it, 40 parallel creates left half failing).
 * Call create outside a MySQL transaction: under REPEATABLE READ a retry would re-read the same max.
 */
const MAX_CREATE_ATTEMPTS = 40;
const backOff = (attempt: number) => new Promise((done) => setTimeout(done, Math.random() * Math.min(50, attempt * 5)));

/*
 * `json_extract(?, '$')` turns the bound JSON text into a JSON value, so json_set stores an object
 * (not a quoted string). The same SQL works on SQLite/libsql, MariaDB 10.11 and MySQL 8, so no
 * dialect switch is needed; json_remove is spelled the same everywhere too.
 */
const SET_INSTAGRAM = `json_set(persona_parameters, '$.instagram', json_extract(?, '$'))`;
const REMOVE_INSTAGRAM = `json_remove(persona_parameters, '$.instagram')`;
/** What a persona's reads return: every column but its creation time. */
type PersonaColumns = Omit<PersonaRow, 'createdAt'>;
const PERSONA_COLUMNS = selectList(PersonaSchema, { except: ['createdAt'] });
const SELECT_BY_USER = `select ${PERSONA_COLUMNS} from ss_persona where user_id = ? order by user_persona_num`;
const SELECT_OWNED_BY_ID = `select ${PERSONA_COLUMNS} from ss_persona where user_id = ? and id = ?`;
const SELECT_OWNED_BY_NUM = `select ${PERSONA_COLUMNS} from ss_persona where user_id = ? and user_persona_num = ?`;
const NUM_OF_PERSONA = '(select p.user_persona_num from ss_persona p where p.id = ? and p.user_id = ?)';

/**
 * ss_persona through MikroORM. Every one-row write is one statement; unlink (persona + token) is one
 * transaction. Rows are read with the query builder: nothing lands in an identity map.
 * Link times are kept to the whole second (the MySQL `datetime` columns hold no fraction).
 */
export class MikroOrmPersonaRepository implements PersonaRepository {
  constructor(private readonly em: SqlEntityManager) {}

  /** Next num = 1 + the user's highest; a parallel create taking it first makes ours retry. */
  create(userId: number, name: string, parameters: Record<string, unknown>): Promise<Persona> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      for (let attempt = 1; ; attempt++) {
        const top = await em
          .createQueryBuilder(PersonaSchema)
          .select(raw('coalesce(max(user_persona_num), 0) as top'))
          .where({ userId })
          .execute<{ top: number | string }>('get', false);
        const num = Number(top.top) + 1;
        try {
          const unlinked = { igUserId: null, igUsername: null, fbPageId: null, igLinkedAt: null, igLogin: null };
          const row = { userId, personaNum: num, name, parameters, imageUrl: null, ...unlinked, createdAt: new Date() };
          const id = await em.insert(PersonaSchema, row);
          const stored = JSON.parse(JSON.stringify(parameters)) as Record<string, unknown>;
          return { id: Number(id), userId, num, name, parameters: stored, imageUrl: null, instagram: null };
        } catch (error) {
          const collided = error instanceof UniqueConstraintViolationException || error instanceof DeadlockException;
          if (!collided) throw error;
          if (attempt >= MAX_CREATE_ATTEMPTS) {
            throw errors.personaCreateConflict();
          }
          await backOff(attempt);
        }
      }
    });
  }

  listLinked(): Promise<Persona[]> {
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(PersonaSchema)
        .select('*')
        .where({ igUserId: { $ne: null } })
        .orderBy({ id: 'asc' })
        .execute<PersonaRow[]>('all');
      return rows.map(toPersona);
    });
  }

  /** A prepared statement on purpose: GET /api/personas is a hot read (see runPrepared). */
  listByUser(userId: number): Promise<Persona[]> {
    return translateDbErrors(async () => {
      const rows = (await runPrepared(this.em, SELECT_BY_USER, [userId], 'all')) as PersonaColumns[];
      return rows.map(toPersona);
    });
  }

  /** A prepared statement on purpose: every persona-scoped route reads its persona first. */
  findOwned(userId: number, ref: PersonaRef): Promise<Persona | null> {
    return translateDbErrors(async () => {
      const [sql, key] = 'id' in ref ? [SELECT_OWNED_BY_ID, ref.id] : [SELECT_OWNED_BY_NUM, ref.num];
      const row = (await runPrepared(this.em, sql, [userId, key], 'get')) as PersonaColumns | undefined;
      return row ? toPersona(row) : null;
    });
  }

  setImageUrl(userId: number, personaId: number, imageUrl: string): Promise<boolean> {
    return translateDbErrors(async () => {
      const changed = await currentEm(this.em).nativeUpdate(PersonaSchema, { id: personaId, userId }, { imageUrl });
      return changed > 0;
    });
  }

  /** One UPDATE: the columns and `$.instagram`. The unique key on ig_user_id detects the conflict. */
  linkInstagram(userId: number, personaId: number, link: InstagramLink): Promise<boolean> {
    return translateDbErrors(async () => {
      const linkedAt = wholeSecond(link.linkedAt);
      const { igUserId, igUsername, fbPageId, login: igLogin } = link;
      const stored = instagramParameters(link);
      try {
        const changed = await currentEm(this.em).nativeUpdate(
          PersonaSchema,
          { id: personaId, userId },
          { igUserId, igUsername, fbPageId, igLinkedAt: linkedAt, igLogin, parameters: raw(SET_INSTAGRAM, [JSON.stringify(stored)]) },
        );
        return changed > 0;
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) {
          throw errors.igAccountAlreadyLinked();
        }
        throw error;
      }
    });
  }

  /** One transaction: clear the link (only on the user's persona), then delete that persona's token. */
  unlinkInstagram(userId: number, ref: PersonaRef): Promise<boolean> {
    return translateDbErrors(() =>
      currentEm(this.em).transactional(async (em) => {
        const changed = await em.nativeUpdate(
          PersonaSchema,
          'id' in ref ? { id: ref.id, userId } : { personaNum: ref.num, userId },
          unlinkedColumns(),
        );
        if (changed === 0) return false;
        const personaNum = 'num' in ref ? ref.num : raw(NUM_OF_PERSONA, [ref.id, userId]);
        await em.nativeDelete(InstagramConnectorSchema, { userId, personaNum });
        return true;
      }),
    );
  }

  /** One transaction: the Meta user's tokens stored by then, their personas' links cleared, then those tokens deleted. */
  unlinkMetaUser(metaUserId: string, storedBy: Date, login: InstagramLogin = 'facebook'): Promise<number[]> {
    return translateDbErrors(() =>
      currentEm(this.em).transactional(async (em) => {
        const tokens = { metaUserId, login, updatedAt: { $lte: wholeSecond(storedBy) } };
        const owners = await em
          .createQueryBuilder(InstagramConnectorSchema)
          .select(['userId', 'personaNum'])
          .where(tokens)
          .execute<{ userId: number; personaNum: number }[]>('all');
        if (owners.length === 0) return [];
        const keys = owners.map(({ userId, personaNum }) => ({ userId: Number(userId), personaNum: Number(personaNum) }));
        const personas = await em
          .createQueryBuilder(PersonaSchema)
          .select('id')
          .where({ $or: keys })
          .orderBy({ id: 'asc' })
          .execute<Pick<PersonaRow, 'id'>[]>('all');
        const ids = personas.map((row) => Number(row.id));
        if (ids.length > 0) await em.nativeUpdate(PersonaSchema, { id: { $in: ids } }, unlinkedColumns());
        await em.nativeDelete(InstagramConnectorSchema, tokens);
        return ids;
      }),
    );
  }

  /** Reads the image URLs first: the delete cannot return them on every database. */
  deleteUserData(userId: number): Promise<string[]> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const rows = await em
        .createQueryBuilder(PersonaSchema)
        .select('imageUrl', true)
        .where({ userId, imageUrl: { $ne: null } })
        .execute<Pick<PersonaRow, 'imageUrl'>[]>('all');
      await em.nativeDelete(PersonaSchema, { userId });
      return rows.map((row) => row.imageUrl!);
    });
  }

  referenced(urls: string[]): Promise<string[]> {
    if (urls.length === 0) return Promise.resolve([]);
    return translateDbErrors(async () => {
      const rows = await currentEm(this.em)
        .createQueryBuilder(PersonaSchema)
        .select('imageUrl', true)
        .where({ imageUrl: { $in: urls } })
        .execute<Pick<PersonaRow, 'imageUrl'>[]>('all');
      return rows.map((row) => row.imageUrl!);
    });
  }
}

/** A persona's link cleared: the columns, and `parameters.instagram`. */
function unlinkedColumns() {
  return { igUserId: null, igUsername: null, fbPageId: null, igLinkedAt: null, igLogin: null, parameters: raw(REMOVE_INSTAGRAM) };
}

/** JSON arrives as text from libsql, and from MariaDB through mysql2 (see runPrepared and createOrm): parse it here. */
function parseParameters(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function toPersona(row: PersonaColumns): Persona {
  return {
    id: Number(row.id),
    userId: Number(row.userId),
    num: Number(row.personaNum),
    name: row.name,
    parameters: parseParameters(row.parameters),
    imageUrl: row.imageUrl,
    instagram:
      row.igUserId === null
        ? null
        : {
            igUserId: row.igUserId,
            igUsername: row.igUsername,
            fbPageId: row.fbPageId,
            linkedAt: toDate(row.igLinkedAt ?? 0),
            // Links made before the column: Facebook Login, the only path then.
            login: row.igLogin === 'instagram' ? 'instagram' : 'facebook',
          },
  };
}
