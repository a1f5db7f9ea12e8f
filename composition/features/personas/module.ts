import { ContainerModule } from 'inversify';
import { personaRoutes } from '../../../adapters/http/routes/persona-routes.js';
import { CreatePersona, GetPersona, ListPersonas, type PersonaRepository } from '../../../core/personas/index.js';
import { binder } from '../feature.js';
import { PERSONAS as T, PERSONAS_STORES } from './ports.js';

/** A user's personas. */
export const personasModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  stores(PERSONAS_STORES);
  useCase(CreatePersona, [T.PersonaRepository], (personas: PersonaRepository) => new CreatePersona(personas));
  useCase(ListPersonas, [T.PersonaRepository], (personas: PersonaRepository) => new ListPersonas(personas));
  useCase(GetPersona, [T.PersonaRepository], (personas: PersonaRepository) => new GetPersona(personas));
  routes(personaRoutes);
});
