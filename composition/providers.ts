import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { GotImageGenerator } from '../adapters/ai/got-image-generator.js';
import { FakeImageGenerator } from '../adapters/fakes/fake-image-generator.js';
import { FakeInstagramPublisher } from '../adapters/fakes/fake-instagram-publisher.js';
import { FakeMetaGraph } from '../adapters/fakes/fake-meta-graph.js';
import { FakeKakaoUnlinker, FakeOAuthProvider } from '../adapters/fakes/fake-oauth-provider.js';
import { GotGoogleProvider } from '../adapters/google/got-google-provider.js';
import { GotKakaoProvider } from '../adapters/kakao/got-kakao-provider.js';
import { GotKakaoUnlinker } from '../adapters/kakao/got-kakao-unlinker.js';
import { GotInstagramPublisher } from '../adapters/meta/got-instagram-publisher.js';
import { GotMetaGraph } from '../adapters/meta/got-meta-graph.js';
import type { Provider } from '../core/identity/index.js';
import type { Clock } from '../core/shared/index.js';
import type { Config } from './config.js';
import { TOKENS as T, type Token } from './tokens.js';

/** KAKAO_REDIRECT_URI / GOOGLE_REDIRECT_URI, else this server's own callback. */
const redirectUriOf = (config: Config, provider: Provider) =>
  config[provider].redirectUri ?? `${config.backendUrl}/auth/${provider}/callback`;
const metaRedirectUri = (config: Config) => config.meta.redirectUri ?? `${config.backendUrl}/oauth/instagram/callback`;

/** The real Kakao, Google, Meta (login and publishing) and AI clients (the AI one only with AI_SERVICE_URL). */
export function bindProviders(container: Container): void {
  const fromConfig = <V>(id: Token<V>, make: (config: Config, logger: Logger) => V) =>
    container.bind<V>(id).toResolvedValue(make, [T.Config, T.Logger]);
  fromConfig(T.KakaoOAuth, (c, logger) => new GotKakaoProvider({ ...c.kakao, redirectUri: redirectUriOf(c, 'kakao') }, logger));
  fromConfig(T.GoogleOAuth, (c, logger) => new GotGoogleProvider({ ...c.google, redirectUri: redirectUriOf(c, 'google') }, logger));
  fromConfig(T.KakaoUnlinker, (c, logger) => new GotKakaoUnlinker(c.kakao, logger));
  fromConfig(T.MetaGraph, (c, logger) => new GotMetaGraph({ ...c.meta, redirectUri: metaRedirectUri(c) }, logger));
  fromConfig(T.InstagramPublisher, (c, logger) => new GotInstagramPublisher(c.meta, logger));
  fromConfig(T.ImageGenerator, (c, logger) => {
    const { serviceUrl, timeoutMs, maxImageBytes } = c.ai;
    return serviceUrl ? new GotImageGenerator({ serviceUrl, timeoutMs, maxImageBytes }, logger) : null;
  });
}

/** MOCK_PROVIDERS=1: each provider port rebound, one by one, to its in-process fake. */
export function rebindFakeProviders(container: Container, config: Config): void {
  container.rebind(T.KakaoOAuth).toConstantValue(new FakeOAuthProvider('kakao', redirectUriOf(config, 'kakao')));
  container.rebind(T.GoogleOAuth).toConstantValue(new FakeOAuthProvider('google', redirectUriOf(config, 'google')));
  container.rebind(T.KakaoUnlinker).toConstantValue(new FakeKakaoUnlinker());
  const meta = new FakeMetaGraph(metaRedirectUri(config), config.meta.scopes.split(','));
  container.rebind(T.MetaGraph).toConstantValue(meta);
  container
    .rebind(T.InstagramPublisher)
    .toResolvedValue((clock: Clock) => new FakeInstagramPublisher((token) => meta.igUserOfPageToken(token), clock), [T.Clock]);
  container.rebind(T.ImageGenerator).toConstantValue(new FakeImageGenerator());
}
