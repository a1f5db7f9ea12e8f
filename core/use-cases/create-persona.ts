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
    if (!trimmed)
      throw errors.validationFailed({ en: 'name must not be blank.', ko: '이름을 입력해 주세요.' }, [
        { path: '/name', message: { en: 'must not be blank', ko: '비워 둘 수 없어요' } },
      ]);
    if ('instagram' in parameters) {
      throw errors.validationFailed(
        { en: 'parameters.instagram is set by linking Instagram.', ko: 'parameters.instagram은 인스타그램을 연결하면 채워져요.' },
        [{ path: '/parameters/instagram', message: { en: 'is set by linking Instagram', ko: '인스타그램을 연결하면 채워져요' } }],
      );
    }
    return this.personas.create(userId, trimmed, parameters);
  }
}
