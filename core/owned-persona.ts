import { DomainError } from './errors.js';
import type { Persona, PersonaRef } from './model.js';
import type { PersonaRepository } from './ports/persona-repository.js';

export const personaNotFound = () => new DomainError('not_found', 'persona_not_found', 'No such persona.');
export const personaRequired = () =>
  new DomainError('invalid_request', 'persona_required', 'Name a persona with persona_id or persona_num.');

/** The caller's persona named by `ref`: 400 persona_required without one, 404 persona_not_found for any other. */
export async function requireOwnedPersona(personas: PersonaRepository, userId: number, ref: PersonaRef | undefined): Promise<Persona> {
  if (!ref) throw personaRequired();
  const persona = await personas.findOwned(userId, ref);
  if (!persona) throw personaNotFound();
  return persona;
}
