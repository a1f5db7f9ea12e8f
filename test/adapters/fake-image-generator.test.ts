import { expect } from 'chai';
import { PNG } from 'pngjs';
import { FakeImageGenerator } from '../../adapters/mock-providers/fake-image-generator.js';
import type { ImageRequest } from '../../core/images/index.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decode(dataUri: string): Buffer {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUri);
  expect(match, 'a base64 PNG data URI').to.not.equal(null);
  return Buffer.from(match![1], 'base64');
}

describe('FakeImageGenerator', () => {
  const generator = new FakeImageGenerator();
  const request = (name: string, extra: Partial<ImageRequest> = {}): ImageRequest => ({
    name,
    gender: '여성',
    options: ['밝은'],
    ...extra,
  });

  it('answers a PNG data URI that pngjs decodes to 256×256', async () => {
    const bytes = decode(await generator.generate(request('민지')));
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).to.deep.equal([256, 256]);
  });

  it('draws the same image for the same request', async () => {
    expect(await generator.generate(request('민지'))).to.equal(await new FakeImageGenerator().generate(request('민지')));
  });

  it('draws different images for different names', async () => {
    const [a, b] = await Promise.all([generator.generate(request('민지')), generator.generate(request('Alice'))]);
    expect(decode(a).equals(decode(b))).to.equal(false);
  });
});
