import { LinkInstagramPersona, ListInstagramAccounts, UnlinkInstagramPersona } from '../../../core/instagram/index.js';
import { PERSONA_SCHEMA, personaJson } from '../persona-json.js';
import { PERSONA_REF_PROPERTIES, PERSONA_REF_QUERY, personaRefOf } from '../persona-ref.js';
import { defineRoute, routeModule } from '../route.js';
import { everyField, ok } from '../schemas.js';

const PERSONA_ERRORS = { persona_required: '', persona_oauth_required: '', persona_oauth_expired: '', persona_not_found: '' };
const ACCOUNT = everyField({
  page_id: { type: 'string' },
  page_name: { type: ['string', 'null'] },
  ig_user_id: { type: 'string' },
  ig_username: { type: ['string', 'null'] },
});
const IG_USER_ID = { type: 'string', pattern: '^[0-9]{1,32}$', description: 'a string: IG ids exceed 2^53' } as const;

export const instagramAccountRoutes = routeModule(
  {
    listInstagramAccounts: ListInstagramAccounts,
    linkInstagramPersona: LinkInstagramPersona,
    unlinkInstagramPersona: UnlinkInstagramPersona,
  },
  (deps) => {
    return [
      defineRoute({
        method: 'GET',
        path: '/oauth/instagram/accounts',
        operationId: 'listInstagramAccounts',
        errors: { ...PERSONA_ERRORS, upstream_unavailable: '' },
        tag: 'instagram',
        summary: 'Instagram business accounts the persona’s token can see',
        auth: true,
        query: PERSONA_REF_QUERY,
        responses: {
          200: { description: 'Accounts', schema: ok('accounts', { type: 'array', items: ACCOUNT }) },
        },
        async handler(ctx, { userId, query }) {
          const accounts = await deps.listInstagramAccounts.execute({ userId, persona: personaRefOf(query) });
          ctx.body = {
            ok: true,
            accounts: accounts.map((a) => ({
              page_id: a.pageId,
              page_name: a.pageName,
              ig_user_id: a.igUserId,
              ig_username: a.igUsername,
            })),
          };
        },
      }),
      defineRoute({
        method: 'POST',
        path: '/oauth/instagram/link',
        operationId: 'linkInstagramAccount',
        errors: { ...PERSONA_ERRORS, ig_account_not_accessible: '', ig_account_already_linked: '' },
        tag: 'instagram',
        summary: 'Link the persona to one of those accounts',
        auth: true,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['ig_user_id'],
          properties: { ...PERSONA_REF_PROPERTIES, ig_user_id: IG_USER_ID },
        },
        responses: {
          200: { description: 'Linked', schema: ok('persona', PERSONA_SCHEMA) },
        },
        async handler(ctx, { userId, body }) {
          const persona = await deps.linkInstagramPersona.execute({ userId, persona: personaRefOf(body), igUserId: body.ig_user_id });
          ctx.body = { ok: true, persona: personaJson(persona) };
        },
      }),
      defineRoute({
        method: 'POST',
        path: '/oauth/instagram/unlink',
        operationId: 'unlinkInstagramAccount',
        errors: PERSONA_ERRORS,
        tag: 'instagram',
        summary: 'Clear the link and delete the stored token (idempotent)',
        auth: true,
        body: { type: 'object', additionalProperties: false, required: [], properties: PERSONA_REF_PROPERTIES },
        responses: { 200: { description: 'Unlinked', schema: ok() } },
        async handler(ctx, { userId, body }) {
          await deps.unlinkInstagramPersona.execute({ userId, persona: personaRefOf(body) });
          ctx.body = { ok: true };
        },
      }),
    ];
  },
);
