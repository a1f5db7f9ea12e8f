import type { InMemoryInstagramTokenStore } from '../../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryPersonaRepository } from '../../../adapters/in-memory/in-memory-persona-repository.js';
import { MikroOrmPersonaRepository } from '../../../adapters/persistence/mikro-orm-persona-repository.js';
import type { PersonaRepository } from '../../../core/personas/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';
import { INSTAGRAM } from '../instagram/ports.js';

export const PERSONAS = {
  PersonaRepository: token<PersonaRepository>('PersonaRepository'),
};

export const PERSONAS_STORES = {
  personas: store(
    PERSONAS.PersonaRepository,
    MikroOrmPersonaRepository,
    (get) => new InMemoryPersonaRepository(get(INSTAGRAM.InstagramTokenStore) as InMemoryInstagramTokenStore),
  ),
};
