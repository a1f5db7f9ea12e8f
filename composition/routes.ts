import { accountRoutes } from '../adapters/http/routes/account-routes.js';
import { imageRoutes } from '../adapters/http/routes/image-routes.js';
import { instagramAccountRoutes } from '../adapters/http/routes/instagram-account-routes.js';
import { instagramOAuthRoutes } from '../adapters/http/routes/instagram-oauth-routes.js';
import { personaRoutes } from '../adapters/http/routes/persona-routes.js';
import { profileRoutes } from '../adapters/http/routes/profile-routes.js';
import { signInRoutes } from '../adapters/http/routes/sign-in-routes.js';
import type { Route } from '../adapters/http/route.js';
import { TOKENS as T, type Token } from './tokens.js';

/** Every feature route, each module handed exactly the use cases it calls. */
export function appRoutes(get: <V>(id: Token<V>) => V): Route[] {
  const { frontendUrl } = get(T.Config);
  const logger = get(T.Logger);
  return [
    ...signInRoutes({ startSignIn: get(T.StartSignIn), completeSignIn: get(T.CompleteSignIn), frontendUrl, logger }),
    ...accountRoutes({ unlinkKakao: get(T.UnlinkKakao) }),
    ...profileRoutes({ getCurrentUser: get(T.GetCurrentUser), updateProfile: get(T.UpdateProfile) }),
    ...personaRoutes({ createPersona: get(T.CreatePersona), listPersonas: get(T.ListPersonas), getPersona: get(T.GetPersona) }),
    ...imageRoutes({ generateImage: get(T.GenerateImage), logger }),
    ...instagramOAuthRoutes({ startInstagramLink: get(T.StartInstagramLink), completeInstagramLink: get(T.CompleteInstagramLink), frontendUrl, logger }),
    ...instagramAccountRoutes({
      listInstagramAccounts: get(T.ListInstagramAccounts),
      linkInstagramPersona: get(T.LinkInstagramPersona),
      unlinkInstagramPersona: get(T.UnlinkInstagramPersona),
    }),
    ...get(T.ExtraRoutes),
  ];
}
