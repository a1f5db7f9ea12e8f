import { errors } from '../errors.js';
import type { Persona } from '../model.js';
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
    if (!trimmed) throw errors.validationFailed('name must not be blank.', [{ path: '/name', message: 'must not be blank' }]);
    if ('instagram' in parameters) {
      throw errors.validationFailed('parameters.instagram is set by linking Instagram.', [
        { path: '/parameters/instagram', message: 'is set by linking Instagram' },
      ]);
    }
    return this.personas.create(userId, trimmed, parameters);
  }
}
