export * from './owned-persona.js';
export * from './persona.js';
export * from './ports/persona-repository.js';
export * from './use-cases/create-persona.js';
export * from './use-cases/get-persona.js';
export * from './use-cases/list-personas.js';
