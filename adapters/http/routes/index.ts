import type { RouteModule } from '../route.js';
import { accountRoutes } from './account-routes.js';
import { imageRoutes } from './image-routes.js';
import { instagramAccountRoutes } from './instagram-account-routes.js';
import { instagramOAuthRoutes } from './instagram-oauth-routes.js';
import { mediaLibraryRoutes } from './media-library-routes.js';
import { metaNoticeRoutes } from './meta-notice-routes.js';
import { personaRoutes } from './persona-routes.js';
import { postRoutes } from './post-routes.js';
import { profileRoutes } from './profile-routes.js';
import { signInRoutes } from './sign-in-routes.js';
import { yourDataRoutes } from './your-data-routes.js';

/** Every feature route module; createApp adds the service, docs and media routes. */
export const FEATURE_ROUTE_MODULES: RouteModule<any>[] = [
  signInRoutes,
  accountRoutes,
  profileRoutes,
  personaRoutes,
  imageRoutes,
  mediaLibraryRoutes,
  instagramOAuthRoutes,
  instagramAccountRoutes,
  postRoutes,
  metaNoticeRoutes,
  yourDataRoutes,
];
