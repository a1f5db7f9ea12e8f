import type { Logger } from 'pino';
import { GotImageGenerator } from '../adapters/ai/got-image-generator.js';
import { FakeImageGenerator } from '../adapters/fakes/fake-image-generator.js';
import { FakeMetaGraph } from '../adapters/fakes/fake-meta-graph.js';
import { FakeKakaoUnlinker, FakeOAuthProvider } from '../adapters/fakes/fake-oauth-provider.js';
import { GotGoogleProvider } from '../adapters/google/got-google-provider.js';
import { GotKakaoProvider } from '../adapters/kakao/got-kakao-provider.js';
import { GotKakaoUnlinker } from '../adapters/kakao/got-kakao-unlinker.js';
import { GotMetaGraph } from '../adapters/meta/got-meta-graph.js';
import type { Provider } from '../core/model.js';
import type { ImageGenerator } from '../core/ports/image-generator.js';
import type { MetaGraph } from '../core/ports/meta-graph.js';
import type { KakaoUnlinker, OAuthProvider } from '../core/ports/oauth-provider.js';
import type { Config } from './config-types.js';

export interface SignInProviders {
  oauth: Record<Provider, OAuthProvider>;
  kakaoUnlinker: KakaoUnlinker;
}

/** The real Kakao and Google clients, or in-process fakes with MOCK_PROVIDERS=1. */
export function signInProviders(config: Config, logger: Logger): SignInProviders {
  const callbackUrl = (provider: Provider) => `${config.backendUrl}/auth/${provider}/callback`;
  if (config.mockProviders) {
    return {
      oauth: {
        kakao: new FakeOAuthProvider('kakao', config.kakao.redirectUri ?? callbackUrl('kakao')),
        google: new FakeOAuthProvider('google', config.google.redirectUri ?? callbackUrl('google')),
      },
      kakaoUnlinker: new FakeKakaoUnlinker(),
    };
  }
  return {
    oauth: {
      kakao: new GotKakaoProvider({ ...config.kakao, redirectUri: config.kakao.redirectUri ?? callbackUrl('kakao') }, logger),
      google: new GotGoogleProvider({ ...config.google, redirectUri: config.google.redirectUri ?? callbackUrl('google') }, logger),
    },
    kakaoUnlinker: new GotKakaoUnlinker(config.kakao, logger),
  };
}

/** The AI image server: the in-process fake with MOCK_PROVIDERS=1, none without AI_SERVICE_URL. */
export function imageGenerator(config: Config, logger: Logger): ImageGenerator | null {
  if (config.mockProviders) return new FakeImageGenerator();
  const { serviceUrl, timeoutMs, maxImageBytes } = config.ai;
  return serviceUrl ? new GotImageGenerator({ serviceUrl, timeoutMs, maxImageBytes }, logger) : null;
}

/** Facebook Login and the Graph API, or the in-process fake with MOCK_PROVIDERS=1. */
export function metaGraph(config: Config, logger: Logger): MetaGraph {
  const redirectUri = config.meta.redirectUri ?? `${config.backendUrl}/oauth/instagram/callback`;
  return config.mockProviders ? new FakeMetaGraph(redirectUri) : new GotMetaGraph({ ...config.meta, redirectUri }, logger);
}
