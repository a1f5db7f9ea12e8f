import type { Persona } from '../persona.js';
import type { PersonaRepository } from '../ports/persona-repository.js';

/** The user's personas, by num. */
export class ListPersonas {
  constructor(private readonly personas: PersonaRepository) {}

  execute(userId: number): Promise<Persona[]> {
    return this.personas.listByUser(userId);
  }
}
