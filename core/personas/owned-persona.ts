import { errors } from '../shared/index.js';
import type { Persona, PersonaRef } from './persona.js';
import type { PersonaRepository } from './ports/persona-repository.js';

/** The caller's persona named by `ref`: 400 persona_required without one, 404 persona_not_found for any other. */
export async function requireOwnedPersona(personas: PersonaRepository, userId: number, ref: PersonaRef | undefined): Promise<Persona> {
  if (!ref) throw errors.personaRequired();
  const persona = await personas.findOwned(userId, ref);
  if (!persona) throw errors.personaNotFound();
  return persona;
}
