import { errors } from '../../core/shared/index.js';
import {
  wholeSecond,
  withInstagramLink,
  type InstagramLink,
  type InstagramLogin,
  type Persona,
  type PersonaRef,
  type PersonaRepository,
} from '../../core/personas/index.js';
import type { InMemoryInstagramTokenStore } from './in-memory-instagram-token-store.js';

/**
 * Personas in memory. Like the database: parameters go through JSON, link times are kept to the
 * whole second, and unlinking deletes the persona's token from the given token store.
 */
export class InMemoryPersonaRepository implements PersonaRepository {
  private readonly rows = new Map<number, Persona>();
  private nextId = 1;

  constructor(private readonly tokens: InMemoryInstagramTokenStore) {}

  async create(userId: number, name: string, parameters: Record<string, unknown>): Promise<Persona> {
    const nums = [...this.rows.values()].filter((p) => p.userId === userId).map((p) => p.num);
    const persona: Persona = {
      id: this.nextId++,
      userId,
      num: Math.max(0, ...nums) + 1,
      name,
      parameters: JSON.parse(JSON.stringify(parameters)) as Record<string, unknown>,
      imageUrl: null,
      instagram: null,
    };
    this.rows.set(persona.id, persona);
    return copy(persona);
  }

  async listLinked(): Promise<Persona[]> {
    return [...this.rows.values()]
      .filter((p) => p.instagram !== null)
      .sort((a, b) => a.id - b.id)
      .map(copy);
  }

  async listByUser(userId: number): Promise<Persona[]> {
    return [...this.rows.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => a.num - b.num)
      .map(copy);
  }

  async findOwned(userId: number, ref: PersonaRef): Promise<Persona | null> {
    const persona = this.owned(userId, ref);
    return persona ? copy(persona) : null;
  }

  async setImageUrl(userId: number, personaId: number, imageUrl: string): Promise<boolean> {
    const persona = this.owned(userId, { id: personaId });
    if (persona) persona.imageUrl = imageUrl;
    return persona !== undefined;
  }

  async linkInstagram(userId: number, personaId: number, link: InstagramLink): Promise<boolean> {
    const persona = this.owned(userId, { id: personaId });
    if (!persona) return false;
    if ([...this.rows.values()].some((p) => p.id !== personaId && p.instagram?.igUserId === link.igUserId)) {
      throw errors.igAccountAlreadyLinked();
    }
    Object.assign(persona, withInstagramLink(persona, link));
    return true;
  }

  async unlinkInstagram(userId: number, ref: PersonaRef): Promise<boolean> {
    const persona = this.owned(userId, ref);
    if (!persona) return false;
    clearLink(persona);
    await this.tokens.delete(userId, persona.num);
    return true;
  }

  async unlinkMetaUser(metaUserId: string, storedBy: Date, login: InstagramLogin = 'facebook'): Promise<number[]> {
    const rows = this.tokens
      .all()
      .filter(({ token }) => token.metaUserId === metaUserId && token.login === login && token.storedAt <= wholeSecond(storedBy));
    const ids: number[] = [];
    for (const { userId, personaNum } of rows) {
      const persona = this.owned(userId, { num: personaNum });
      if (persona) {
        clearLink(persona);
        ids.push(persona.id);
      }
      await this.tokens.delete(userId, personaNum);
    }
    return ids.sort((a, b) => a - b);
  }

  async deleteUserData(userId: number): Promise<string[]> {
    const theirs = [...this.rows.values()].filter((p) => p.userId === userId);
    for (const persona of theirs) this.rows.delete(persona.id);
    return theirs.flatMap((p) => (p.imageUrl === null ? [] : [p.imageUrl]));
  }

  async referenced(urls: string[]): Promise<string[]> {
    const named = new Set([...this.rows.values()].map((p) => p.imageUrl));
    return urls.filter((url) => named.has(url));
  }

  private owned(userId: number, ref: PersonaRef): Persona | undefined {
    if ('id' in ref) {
      const persona = this.rows.get(ref.id);
      return persona?.userId === userId ? persona : undefined;
    }
    return [...this.rows.values()].find((p) => p.userId === userId && p.num === ref.num);
  }
}

function clearLink(persona: Persona): void {
  persona.instagram = null;
  delete persona.parameters.instagram;
}

function copy(persona: Persona): Persona {
  return structuredClone(persona);
}
