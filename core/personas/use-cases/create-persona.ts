import { errors, message } from '../../shared/index.js';
import type { Persona } from '../persona.js';
import type { PersonaRepository } from '../ports/persona-repository.js';

/** A new persona for the user, numbered after their last one. */
export class CreatePersona {
  constructor(private readonly personas: PersonaRepository) {}

  async execute({
    userId,
    name,
    parameters = {},
  }: {
    userId: number;
    name: string;
    parameters?: Record<string, unknown>;
  }): Promise<Persona> {
    const trimmed = name.trim();
    if (!trimmed)
      throw errors.validationFailed(message('persona_name_blank'), [{ field: ['name'], message: message('must_not_be_blank') }]);
    if ('instagram' in parameters) {
      throw errors.validationFailed(message('persona_instagram_parameters'), [
        { field: ['parameters', 'instagram'], message: message('set_by_linking_instagram') },
      ]);
    }
    return this.personas.create(userId, trimmed, parameters);
  }
}
