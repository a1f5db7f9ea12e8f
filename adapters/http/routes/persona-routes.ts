import { errors } from '../../../core/shared/index.js';
import { CreatePersona, GetPersona, ListPersonas } from '../../../core/personas/index.js';
import { ID_PARAMS } from '../path-params.js';
import { PERSONA_SCHEMA, personaJson } from '../persona-json.js';
import { defineRoute, routeModule } from '../route.js';
import { ok } from '../schemas.js';

export const personaRoutes = routeModule(
  { createPersona: CreatePersona, listPersonas: ListPersonas, getPersona: GetPersona },
  ({ createPersona, listPersonas, getPersona }) => {
    return [
      defineRoute({
        method: 'POST',
        path: '/api/personas',
        operationId: 'createPersona',
        errors: { persona_create_conflict: '' },
        tag: 'personas',
        summary: 'Create a persona (numbered per user)',
        auth: true,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100, examples: ['지우'] },
            parameters: {
              type: 'object',
              description: 'free-form; `instagram` is reserved for the link',
              examples: [{ 성격: '밝고 다정함', 취미: '카페 탐방' }],
            },
          },
        },
        responses: {
          201: { description: 'Created', schema: ok('persona', PERSONA_SCHEMA) },
        },
        async handler(ctx, { userId, body }) {
          const persona = await createPersona.execute({ userId, name: body.name, parameters: body.parameters });
          ctx.status = 201;
          ctx.body = { ok: true, persona: personaJson(persona) };
        },
      }),
      defineRoute({
        method: 'GET',
        path: '/api/personas',
        operationId: 'listPersonas',
        tag: 'personas',
        summary: 'The caller’s personas, by num',
        auth: true,
        responses: {
          200: { description: 'Personas', schema: ok('personas', { type: 'array', items: PERSONA_SCHEMA }) },
        },
        async handler(ctx, { userId }) {
          ctx.body = { ok: true, personas: (await listPersonas.execute(userId)).map(personaJson) };
        },
      }),
      defineRoute({
        method: 'GET',
        path: '/api/personas/:id',
        operationId: 'getPersona',
        errors: { persona_not_found: '' },
        tag: 'personas',
        summary: 'One of the caller’s personas by global id',
        auth: true,
        params: ID_PARAMS,
        notFound: errors.personaNotFound,
        responses: { 200: { description: 'The persona', schema: ok('persona', PERSONA_SCHEMA) } },
        async handler(ctx, { userId, params }) {
          const persona = await getPersona.execute(userId, { id: Number(params.id) });
          ctx.body = { ok: true, persona: personaJson(persona) };
        },
      }),
    ];
  },
);
