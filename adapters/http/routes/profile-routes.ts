import { GetCurrentUser, UpdateProfile } from '../../../core/identity/index.js';
import { defineRoute, routeModule } from '../route.js';
import { CURRENT_USER, everyField, GENDER, ok } from '../schemas.js';

const SAVED_PROFILE = everyField({ id: { type: 'integer' }, birthday: { type: 'string', format: 'date' }, gender: GENDER });

export const profileRoutes = routeModule(
  { getCurrentUser: GetCurrentUser, updateProfile: UpdateProfile },
  ({ getCurrentUser, updateProfile }) => {
    return [
      defineRoute({
        method: 'GET',
        path: '/auth/me',
        operationId: 'getCurrentUser',
        tag: 'profile',
        summary: 'The signed-in user',
        auth: true,
        responses: { 200: { description: 'The user', schema: ok('user', CURRENT_USER) } },
        handler(ctx, input) {
          const user = getCurrentUser.execute(input.user);
          ctx.body = {
            ok: true,
            user: {
              id: user.id,
              provider: user.provider,
              nickname: user.nickname,
              profile_image: user.profileImage,
              birthday: user.birthday,
              gender: user.gender,
              needs_consent: user.needsConsent,
            },
          };
        },
      }),
      defineRoute({
        method: 'PUT',
        path: '/users/me/profile',
        operationId: 'saveProfile',
        errors: { invalid_birthday: '', birthday_in_future: '', birthday_too_old: '', invalid_gender: '' },
        tag: 'profile',
        summary: 'Record birthday and gender',
        auth: true,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['birthday', 'gender'],
          properties: {
            birthday: { type: 'string', description: 'YYYY-MM-DD, 1900-01-01 up to today (APP_TIMEZONE)', examples: ['1995-04-12'] },
            gender: { type: 'string', description: '남성 or 여성', examples: ['여성'] },
          },
        },
        responses: {
          200: { description: 'Saved', schema: ok('user', SAVED_PROFILE) },
        },
        async handler(ctx, { userId, body }) {
          const user = await updateProfile.execute({ userId, ...body });
          ctx.body = { ok: true, user };
        },
      }),
    ];
  },
);
