import type { PersonaRef } from '../model.js';
import { requireOwnedPersona } from '../owned-persona.js';
import type { PersonaRepository } from '../ports/persona-repository.js';

/** Clears the persona's Instagram link and deletes its stored token; idempotent. */
export class UnlinkInstagramPersona {
  constructor(private readonly personas: PersonaRepository) {}

  async execute({ userId, persona: ref }: { userId: number; persona?: PersonaRef }): Promise<void> {
    const persona = await requireOwnedPersona(this.personas, userId, ref);
    await this.personas.unlinkInstagram(userId, persona.id);
  }
}
