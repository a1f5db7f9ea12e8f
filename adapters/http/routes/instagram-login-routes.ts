import { CompleteInstagramLoginLink, StartInstagramLink } from '../../../core/instagram/index.js';
import { routeModule } from '../route.js';
import { linkPathRoutes } from './instagram-oauth-routes.js';

/** Linking through Instagram Login: the professional account signs in itself, no Facebook Page needed; the callback links it. */
export const instagramLoginRoutes = routeModule(
  { startInstagramLink: StartInstagramLink, completeInstagramLoginLink: CompleteInstagramLoginLink },
  ({ startInstagramLink, completeInstagramLoginLink, ...deps }) =>
    linkPathRoutes(
      {
        login: 'instagram',
        base: '/oauth/instagram-login',
        nonce: 'instagramLoginNonce',
        operations: { start: 'startInstagramLoginLink', complete: 'completeInstagramLoginLink' },
        summaries: {
          start: 'Start Instagram Login for a persona (302; no Facebook Page needed)',
          complete: 'Instagram redirects back here (302): the persona is linked to the account that signed in',
        },
        dialog: 'INSTAGRAM_AUTHORIZE_URL',
      },
      startInstagramLink,
      (input) => completeInstagramLoginLink.execute(input),
      deps,
    ),
);
