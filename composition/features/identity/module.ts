import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { AesGcmTokenCipher } from '../../../adapters/crypto/aes-gcm-token-cipher.js';
import { FakeKakaoUnlinker, FakeOAuthProvider } from '../../../adapters/mock-providers/fake-oauth-provider.js';
import { GotGoogleProvider } from '../../../adapters/google/got-google-provider.js';
import { PendingSignInCookie } from '../../../adapters/http/pending-sign-in-cookie.js';
import { accountRoutes } from '../../../adapters/http/routes/account-routes.js';
import { profileRoutes } from '../../../adapters/http/routes/profile-routes.js';
import { signInRoutes } from '../../../adapters/http/routes/sign-in-routes.js';
import { GENDERS } from '../../../adapters/http/schemas.js';
import { GotKakaoProvider } from '../../../adapters/kakao/got-kakao-provider.js';
import { GotKakaoUnlinker } from '../../../adapters/kakao/got-kakao-unlinker.js';
import {
  CompleteSignIn,
  GetCurrentUser,
  StartSignIn,
  UnlinkKakao,
  UpdateProfile,
  UpsertOAuthUser,
  type KakaoUnlinker,
  type OAuthProvider,
  type Provider,
  type UsedStateStore,
  type UserRepository,
} from '../../../core/identity/index.js';
import type { Clock } from '../../../core/shared/index.js';
import { APP } from '../../app-tokens.js';
import type { Config } from '../../config.js';
import { deriveKey } from '../../config/typed-config.js';
import { binder } from '../feature.js';
import { IDENTITY as T, IDENTITY_STORES } from './ports.js';

/** HKDF info of the key that seals the pending sign-in cookie (derived from each session secret). */
const SIGN_IN_COOKIE_KEY_INFO = 'selfstar pending sign-in cookie';

/** KAKAO_REDIRECT_URI / GOOGLE_REDIRECT_URI, else this server's own callback. */
const redirectUriOf = (config: Config, provider: Provider) =>
  config[provider].redirectUri ?? `${config.backendUrl}/auth/${provider}/callback`;

/** Sign-in (Kakao, Google), sessions and the profile. MOCK_PROVIDERS=1 binds each provider port to its in-process fake. */
export const identityModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  const provider = <V>(id: symbol, real: (c: Config, logger: Logger) => V, fake: (c: Config) => V) =>
    options
      .bind<V>(id)
      .toResolvedValue((c: Config, logger: Logger) => (c.mockProviders ? fake(c) : real(c, logger)), [APP.Config, APP.Logger]);
  stores(IDENTITY_STORES);
  provider<OAuthProvider>(
    T.KakaoOAuth,
    (c, logger) => new GotKakaoProvider({ ...c.kakao, redirectUri: redirectUriOf(c, 'kakao') }, logger),
    (c) => new FakeOAuthProvider('kakao', redirectUriOf(c, 'kakao')),
  );
  provider<OAuthProvider>(
    T.GoogleOAuth,
    (c, logger) => new GotGoogleProvider({ ...c.google, redirectUri: redirectUriOf(c, 'google') }, logger),
    (c) => new FakeOAuthProvider('google', redirectUriOf(c, 'google')),
  );
  provider<KakaoUnlinker>(
    T.KakaoUnlinker,
    (c, logger) => new GotKakaoUnlinker(c.kakao, logger),
    () => new FakeKakaoUnlinker(),
  );
  options.bind(PendingSignInCookie).toResolvedValue(
    (c: Config) => {
      const [key, ...previous] = [c.sessionSecret, ...c.previousSessionSecrets].map((secret) => deriveKey(secret, SIGN_IN_COOKIE_KEY_INFO));
      const cipher = new AesGcmTokenCipher(key, previous);
      return new PendingSignInCookie(cipher, { name: `${c.sessionCookieName}_signin`, backendUrl: c.backendUrl });
    },
    [APP.Config],
  );

  useCase(GetCurrentUser, [], () => new GetCurrentUser());
  useCase(
    UpdateProfile,
    [T.UserRepository, APP.Clock, APP.Config],
    (u: UserRepository, clock: Clock, c: Config) => new UpdateProfile(u, clock, c.appTimezone, GENDERS),
  );
  useCase(UpsertOAuthUser, [T.UserRepository], (users: UserRepository) => new UpsertOAuthUser(users));
  useCase(
    StartSignIn,
    [T.KakaoOAuth, T.GoogleOAuth, APP.Clock],
    (kakao: OAuthProvider, google: OAuthProvider, clock: Clock) => new StartSignIn({ kakao, google }, clock),
  );
  useCase(
    CompleteSignIn,
    [T.KakaoOAuth, T.GoogleOAuth, UpsertOAuthUser, T.UsedStateStore, APP.Clock],
    (kakao: OAuthProvider, google: OAuthProvider, upsert: UpsertOAuthUser, used: UsedStateStore, clock: Clock) =>
      new CompleteSignIn({ kakao, google }, upsert, used, clock),
  );
  useCase(UnlinkKakao, [T.UserRepository, T.KakaoUnlinker], (users: UserRepository, kakao: KakaoUnlinker) => new UnlinkKakao(users, kakao));

  routes(signInRoutes, accountRoutes, profileRoutes);
});
