import { expect } from 'chai';
import { createHash } from 'node:crypto';
import sinon from 'sinon';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryMediaLibrary } from '../../adapters/in-memory/in-memory-media-library.js';
import { InMemoryMediaStore } from '../../adapters/in-memory/in-memory-media-store.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { FlexibleRateLimiter } from '../../adapters/rate-limit/flexible-rate-limiter.js';
import { DomainError, errors } from '../../core/shared/index.js';
import {
  sniffImage,
  MediaKeeper,
  type ImageProcessor,
  ImageGenerationFailed,
  GenerateImage,
  type GeneratedImage,
} from '../../core/images/index.js';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jfif')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const uri = (bytes: Buffer, type = 'png') => `data:image/${type};base64,${bytes.toString('base64')}`;
const MAX = 1024;
const NOW = new Date('2030-01-02T03:04:05.678Z');

/** Decodes whatever has an image's magic numbers as 8×8, unless told the bytes are corrupt. */
function stubProcessor(): ImageProcessor & { corrupt: boolean } {
  return {
    corrupt: false,
    async inspect(bytes) {
      const type = sniffImage(bytes);
      return this.corrupt || !type ? null : { contentType: type.mimeType, width: 8, height: 8 };
    },
    prepareForInstagram: () => Promise.reject(new Error('not used here')),
  };
}

describe('GenerateImage', () => {
  let generate: sinon.SinonStub;
  let media: InMemoryMediaStore;
  let library: InMemoryMediaLibrary;
  let images: ReturnType<typeof stubProcessor>;
  let keeper: MediaKeeper;
  let personas: InMemoryPersonaRepository;
  let useCase: GenerateImage;
  const input = { userId: 1, name: '민지', gender: '여성', feature: '밝은 미소', options: ['casual'] };

  beforeEach(() => {
    generate = sinon.stub();
    media = new InMemoryMediaStore();
    library = new InMemoryMediaLibrary();
    images = stubProcessor();
    keeper = new MediaKeeper(media, library, images, new FixedClock(NOW));
    personas = new InMemoryPersonaRepository(new InMemoryInstagramTokenStore());
    useCase = new GenerateImage({ generate }, keeper, personas, FlexibleRateLimiter.inMemory(), { maxImageBytes: MAX, perMinute: 3 });
  });

  function expectFallback(result: GeneratedImage, reason: string) {
    expect(result.source).to.equal('fallback');
    expect(result.url).to.equal(null);
    expect(result).to.include({ reason });
    expect(result.image).to.match(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(result.image.split(',')[1], 'base64').toString('utf8');
    expect(svg).to.include('민지').and.include('밝은 미소');
    expect(media.files.size, 'nothing saved').to.equal(0);
  }

  it('saves an AI image under its content hash and returns it', async () => {
    generate.resolves(uri(PNG));
    const result = await useCase.execute(input);
    const name = `${createHash('sha256').update(PNG).digest('hex')}.png`;
    expect(result).to.deep.equal({ source: 'ai', image: uri(PNG), url: `/memory/${name}` });
    expect(media.files.get(name)).to.deep.equal(PNG);
    expect(generate.firstCall.args[0]).to.deep.equal({ name: '민지', gender: '여성', feature: '밝은 미소', options: ['casual'] });
  });

  it("adds the saved image to the user's media library (source ai, its decoded size)", async () => {
    generate.resolves(uri(PNG));
    const { url } = await useCase.execute(input);
    const [row, ...more] = (await library.listByUser(1, { limit: 50 })).items;
    expect(more).to.deep.equal([]);
    expect(row).to.deep.include({ userId: 1, url, contentType: 'image/png', width: 8, height: 8, bytes: PNG.length, source: 'ai' });
    expect(row.createdAt).to.deep.equal(NOW);
  });

  it('falls back (not_an_image) when the image does not decode, and keeps neither file nor row', async () => {
    generate.resolves(uri(PNG));
    images.corrupt = true;
    expectFallback(await useCase.execute(input), 'not_an_image');
    expect((await library.listByUser(1, { limit: 50 })).items).to.deep.equal([]);
  });

  it('takes the type from the magic bytes: JPEG and WebP', async () => {
    generate.resolves(uri(JPEG, 'png'));
    const jpeg = await useCase.execute(input);
    expect(jpeg.url).to.match(/\.jpg$/);
    expect(jpeg.image).to.equal(uri(JPEG, 'jpeg'));
    generate.resolves(uri(WEBP, 'webp'));
    expect((await useCase.execute(input)).url).to.match(/\.webp$/);
  });

  for (const reason of ['timeout', 'status_500', 'not_json', 'missing_image', 'connection_refused']) {
    it(`falls back when the AI call fails (${reason})`, async () => {
      generate.rejects(new ImageGenerationFailed(reason));
      expectFallback(await useCase.execute(input), reason);
    });
  }

  const bad: [string, string, string][] = [
    ['wrong magic bytes', uri(Buffer.from('GIF89a-not-allowed')), 'not_an_image'],
    ['an SVG posing as PNG', uri(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), 'not_an_image'],
    ['HTML posing as PNG', uri(Buffer.from('<!doctype html><script>alert(1)</script>')), 'not_an_image'],
    ['an SVG data URI', `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`, 'invalid_data_uri'],
    ['invalid base64', 'data:image/png;base64,iVBORw0KGgo!!!!', 'invalid_data_uri'],
    ['base64 of a wrong length', 'data:image/png;base64,iVBORw0KGgoAA', 'invalid_data_uri'],
    ['an empty image', 'data:image/png;base64,', 'invalid_data_uri'],
    ['no data URI at all', 'https://cdn.example/image.png', 'invalid_data_uri'],
    ['an oversize image', uri(Buffer.concat([PNG, Buffer.alloc(MAX)])), 'too_large'],
    ['an encoded string far over the cap (refused before decoding)', `data:image/png;base64,${'A'.repeat(MAX * 10)}`, 'too_large'],
  ];
  for (const [name, answer, reason] of bad) {
    it(`falls back on ${name}`, async () => {
      generate.resolves(answer);
      expectFallback(await useCase.execute(input), reason);
    });
  }

  it('accepts an image of exactly the byte limit', async () => {
    generate.resolves(uri(Buffer.concat([PNG, Buffer.alloc(MAX - PNG.length)])));
    expect((await useCase.execute(input)).source).to.equal('ai');
  });

  it('falls back without an AI server', async () => {
    const noAi = new GenerateImage(null, keeper, personas, FlexibleRateLimiter.inMemory(), { maxImageBytes: MAX, perMinute: 3 });
    expectFallback(await noAi.execute(input), 'not_configured');
  });

  it('falls back when the file cannot be written', async () => {
    generate.resolves(uri(PNG));
    sinon.stub(media, 'save').rejects(new Error('ENOSPC'));
    const result = await useCase.execute(input);
    expect(result).to.include({ source: 'fallback', reason: 'media_write_failed' });
    expect((await library.listByUser(1, { limit: 50 })).items, 'no row').to.deep.equal([]);
  });

  it('sets the image_url of the caller’s persona, named by id or num', async () => {
    const persona = await personas.create(1, '페르소나', {});
    generate.resolves(uri(PNG));
    const result = await useCase.execute({ ...input, persona: { num: persona.num } });
    expect((await personas.findOwned(1, { id: persona.id }))?.imageUrl).to.equal(result.url);
    expect(generate.firstCall.args[0].personaId).to.equal(persona.id);
  });

  it('leaves the persona unchanged on fallback', async () => {
    const persona = await personas.create(1, '페르소나', {});
    generate.rejects(new ImageGenerationFailed('timeout'));
    await useCase.execute({ ...input, persona: { id: persona.id } });
    expect((await personas.findOwned(1, { id: persona.id }))?.imageUrl).to.equal(null);
  });

  it('is persona_not_found for another user’s persona, before calling the AI', async () => {
    const theirs = await personas.create(2, 'theirs', {});
    const error = await useCase.execute({ ...input, persona: { id: theirs.id } }).catch((e) => e);
    expect(error).to.be.instanceOf(DomainError).and.include({ code: 'persona_not_found' });
    expect(generate.called).to.equal(false);
  });

  it('limits each user to perMinute generations a minute, with a Retry-After, per user', async () => {
    generate.resolves(uri(PNG));
    for (let i = 0; i < 3; i++) await useCase.execute(input);
    const error = await useCase.execute(input).catch((e) => e);
    expect(error).to.be.instanceOf(DomainError).and.include({ code: 'rate_limited' });
    expect(error.retryAfterSeconds).to.be.within(1, 60);
    expect(generate.callCount).to.equal(3);
    expect((await useCase.execute({ ...input, userId: 2 })).source, 'another user is not limited').to.equal('ai');
  });

  it('refuses (db_unavailable) when the limiter cannot count, before calling the AI: generations cost money', async () => {
    const down = { take: sinon.stub().rejects(errors.dbUnavailable()) };
    const failing = new GenerateImage({ generate }, keeper, personas, down, { maxImageBytes: MAX, perMinute: 3 });
    const error = await failing.execute(input).catch((e) => e);
    expect(error).to.be.instanceOf(DomainError).and.include({ code: 'db_unavailable' });
    expect(down.take.firstCall.args).to.deep.equal(['images:1', 3, 60]);
    expect(generate.called).to.equal(false);
  });
});
