import type { Persona, PersonaRef } from '../persona.js';
import { requireOwnedPersona } from '../owned-persona.js';
import type { PersonaRepository } from '../ports/persona-repository.js';

/** One of the user's personas; another user's is persona_not_found. */
export class GetPersona {
  constructor(private readonly personas: PersonaRepository) {}

  execute(userId: number, ref: PersonaRef | undefined): Promise<Persona> {
    return requireOwnedPersona(this.personas, userId, ref);
  }
}
