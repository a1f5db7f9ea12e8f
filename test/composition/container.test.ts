import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { FakeImageGenerator } from '../../adapters/mock-providers/fake-image-generator.js';
import { FakeInstagramPublisher } from '../../adapters/mock-providers/fake-instagram-publisher.js';
import { FakeMetaGraph } from '../../adapters/mock-providers/fake-meta-graph.js';
import { FakeKakaoUnlinker, FakeOAuthProvider } from '../../adapters/mock-providers/fake-oauth-provider.js';
import { GotInstagramPublisher } from '../../adapters/meta/got-instagram-publisher.js';
import { GotMetaGraph } from '../../adapters/meta/got-meta-graph.js';
import { FsMediaStore } from '../../adapters/media/fs-media-store.js';
import { ImageGenerationFailed, type ImageGenerator } from '../../core/images/index.js';
import { loadConfig } from '../../composition/config.js';
import { buildContainer, resolve, type ContainerParts } from '../../composition/container.js';
import { inMemoryPersistence } from '../../composition/persistence.js';
import { TOKENS } from '../../composition/tokens.js';
import { Browser } from '../support/browser.js';
import { startTestApp } from '../support/test-app.js';

const PORTS = [
  TOKENS.UserRepository,
  TOKENS.SessionStore,
  TOKENS.PersonaRepository,
  TOKENS.InstagramTokenStore,
  TOKENS.MediaStore,
  TOKENS.RateLimiter,
  TOKENS.ImageGenerator,
  TOKENS.KakaoOAuth,
  TOKENS.GoogleOAuth,
  TOKENS.KakaoUnlinker,
  TOKENS.MetaGraph,
  TOKENS.InstagramPublisher,
  TOKENS.Clock,
  TOKENS.TokenCipher,
];

function container(env: Record<string, string>, rebind?: ContainerParts['rebind']) {
  const config = loadConfig({ SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env });
  return buildContainer({ config, logger: pino({ level: 'silent' }), persistence: inMemoryPersistence(), rebind });
}

describe('composition: the container', () => {
  it('binds every port on its own token', () => {
    const c = container({ AI_SERVICE_URL: 'http://127.0.0.1:9' });
    for (const port of PORTS) {
      expect(c.isBound(port), port.description).to.equal(true);
      expect(c.get(port), port.description).to.be.an('object');
    }
  });

  it('MOCK_PROVIDERS=1 rebinds exactly the provider ports to their fakes', () => {
    const mocked = container({ MOCK_PROVIDERS: '1' });
    expect(mocked.get(TOKENS.KakaoOAuth)).to.be.instanceOf(FakeOAuthProvider);
    expect(mocked.get(TOKENS.GoogleOAuth)).to.be.instanceOf(FakeOAuthProvider);
    expect(mocked.get(TOKENS.KakaoUnlinker)).to.be.instanceOf(FakeKakaoUnlinker);
    expect(mocked.get(TOKENS.MetaGraph)).to.be.instanceOf(FakeMetaGraph);
    expect(mocked.get(TOKENS.ImageGenerator)).to.be.instanceOf(FakeImageGenerator);
    expect(mocked.get(TOKENS.MediaStore)).to.be.instanceOf(FsMediaStore);
    expect(mocked.get(TOKENS.InstagramPublisher)).to.be.instanceOf(FakeInstagramPublisher);
    expect(container({}).get(TOKENS.MetaGraph)).to.be.instanceOf(GotMetaGraph);
    expect(container({}).get(TOKENS.InstagramPublisher)).to.be.instanceOf(GotInstagramPublisher);
  });

  it('lets a test replace one port with rebind before the app is built', () => {
    const stub: ImageGenerator = { generate: async () => 'stub' };
    const c = container({ MOCK_PROVIDERS: '1' }, (bindings) => bindings.rebind(TOKENS.ImageGenerator).toConstantValue(stub));
    expect(c.get(TOKENS.ImageGenerator)).to.equal(stub);
    expect(c.get(TOKENS.MetaGraph)).to.be.instanceOf(FakeMetaGraph);
    expect(resolve(c, TOKENS.App)).to.have.property('listen');
  });

  it('swapping one adapter in a running app changes only that behaviour', async () => {
    const failing: ImageGenerator = { generate: () => Promise.reject(new ImageGenerationFailed('swapped_out')) };
    const env = { MOCK_PROVIDERS: '1', MEDIA_ROOT: mkdtempSync(join(tmpdir(), 'selfstar-media-')) };
    const apps = {
      plain: await startTestApp({ env }),
      swapped: await startTestApp({ env, rebind: (c) => c.rebind(TOKENS.ImageGenerator).toConstantValue(failing) }),
    };
    try {
      const outcome: Record<string, unknown> = {};
      for (const [name, app] of Object.entries(apps)) {
        const browser = new Browser();
        const signIn = await browser.follow(`${app.url}/auth/kakao/login`, app.config.frontendUrl);
        const me = await (await browser.fetch(`${app.url}/auth/me`)).json();
        const image = await browser.fetch(`${app.url}/api/images`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: '민지', gender: '여성', options: [] }),
        });
        outcome[name] = { landed: new URL(signIn.at(-1)!.url).pathname, signedIn: me.ok, source: (await image.json()).source };
      }
      expect(outcome.plain).to.deep.equal({ landed: '/', signedIn: true, source: 'ai' });
      expect(outcome.swapped).to.deep.equal({ landed: '/', signedIn: true, source: 'fallback' });
    } finally {
      await Promise.all(Object.values(apps).map((app) => app.close()));
    }
  });
});
