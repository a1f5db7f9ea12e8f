import { errors } from '../../shared/index.js';
import type { PersonaRef, PersonaRepository } from '../../personas/index.js';

/** Clears the persona's Instagram link and deletes its stored token; idempotent. */
export class UnlinkInstagramPersona {
  constructor(private readonly personas: PersonaRepository) {}

  async execute({ userId, persona: ref }: { userId: number; persona?: PersonaRef }): Promise<void> {
    if (!ref) throw errors.personaRequired();
    // One transaction scoped to the user's persona: no read first.
    if (!(await this.personas.unlinkInstagram(userId, ref))) {
      throw errors.personaNotFound();
    }
  }
}
