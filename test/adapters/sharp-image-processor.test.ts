import { expect } from 'chai';
import sharp from 'sharp';
import { SharpImageProcessor } from '../../adapters/images/sharp-image-processor.js';
import { noiseImage, solidImage } from '../support/images.js';

const MIB8 = 8 * 1024 * 1024;

describe('SharpImageProcessor', () => {
  const images = new SharpImageProcessor();

  describe('inspect', () => {
    for (const [format, type] of [
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['webp', 'image/webp'],
    ] as const) {
      it(`decodes a ${format}: its real type and size`, async () => {
        expect(await images.inspect(await solidImage(30, 20, format))).to.deep.equal({ contentType: type, width: 30, height: 20 });
      });
    }

    it('answers null for a truncated image, bytes that are no image, a GIF and nothing', async () => {
      const png = await noiseImage(64, 64);
      const jpeg = await sharp(await noiseImage(64, 64))
        .jpeg()
        .toBuffer();
      expect(await images.inspect(png.subarray(0, png.length - 200)), 'truncated PNG').to.equal(null);
      expect(await images.inspect(jpeg.subarray(0, jpeg.length / 2)), 'truncated JPEG').to.equal(null);
      expect(await images.inspect(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).to.equal(null);
      expect(await images.inspect(await solidImage(4, 4, 'gif'))).to.equal(null);
      expect(await images.inspect(Buffer.alloc(0))).to.equal(null);
    });

    it('refuses an image with more pixels than allowed before decoding it (a decompression bomb)', async () => {
      const capped = new SharpImageProcessor({ maxPixels: 400 });
      expect(await capped.inspect(await solidImage(20, 20))).to.deep.include({ width: 20 });
      expect(await capped.inspect(await solidImage(21, 20))).to.equal(null);
    });
  });

  describe('prepareForInstagram', () => {
    async function prepared(input: Buffer, processor = images) {
      const output = await processor.prepareForInstagram(input);
      const meta = await sharp(output).metadata();
      return { output, meta, ratio: meta.width / meta.height };
    }

    it('pads a tall 1:3 image with white sides to 4:5, never cropping', async () => {
      const { meta, ratio, output } = await prepared(await solidImage(300, 900));
      expect(meta).to.include({ format: 'jpeg', width: 720, height: 900, space: 'srgb', channels: 3 });
      expect(ratio).to.be.at.least(0.8);
      const { data } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
      expect([...data.subarray(0, 3)], 'the left edge is padding').to.deep.equal([255, 255, 255]);
      const centre = (450 * 720 + 360) * 3;
      expect(data[centre], 'the image itself, whole, in the middle').to.be.within(190, 210);
    });

    it('scales a wide 3:1 image to 1440 px and pads it with bands to at most 1.91:1', async () => {
      const { meta, ratio } = await prepared(await solidImage(3000, 1000));
      expect(meta).to.include({ format: 'jpeg', width: 1440, height: 754 });
      expect(ratio).to.be.at.most(1.91).and.at.least(1.9);
    });

    it('keeps an image inside the range as it is, only narrower than 1440 px', async () => {
      expect((await prepared(await solidImage(2000, 2000, 'webp'))).meta).to.include({ width: 1440, height: 1440 });
      expect((await prepared(await solidImage(1080, 1350, 'jpeg'))).meta).to.include({ width: 1080, height: 1350 });
    });

    it('takes a tiny image (2×1) and gives a JPEG inside the range', async () => {
      const { meta, ratio } = await prepared(await solidImage(2, 1));
      expect(meta.format).to.equal('jpeg');
      expect(ratio).to.be.within(0.8, 1.91);
    });

    it('flattens a PNG with alpha onto white, and converts CMYK and 16-bit images to 8-bit sRGB', async () => {
      const transparent = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
        .png()
        .toBuffer();
      const alpha = await prepared(transparent);
      expect(alpha.meta).to.include({ channels: 3, space: 'srgb', hasAlpha: false });
      const { data } = await sharp(alpha.output).raw().toBuffer({ resolveWithObject: true });
      expect(data[0]).to.be.at.least(250);

      const cmyk = await sharp(await solidImage(40, 40))
        .toColourspace('cmyk')
        .jpeg()
        .toBuffer();
      expect((await sharp(cmyk).metadata()).space).to.equal('cmyk');
      expect((await prepared(cmyk)).meta).to.include({ space: 'srgb', channels: 3, format: 'jpeg' });

      const deep = await sharp(await solidImage(40, 40))
        .toColourspace('rgb16')
        .png()
        .toBuffer();
      expect((await sharp(deep).metadata()).depth).to.equal('ushort');
      expect((await prepared(deep)).meta).to.include({ depth: 'uchar', space: 'srgb', format: 'jpeg' });
    });

    it('lowers the quality until the JPEG fits the size limit', async () => {
      const noise = await noiseImage(800, 800);
      const full = await images.prepareForInstagram(noise);
      expect(full.length).to.be.at.most(MIB8);
      const limit = Math.floor(full.length * 0.6);
      const smaller = await new SharpImageProcessor({ maxJpegBytes: limit }).prepareForInstagram(noise);
      expect(smaller.length).to.be.at.most(limit);
      expect((await sharp(smaller).metadata()).width).to.equal(800);
    });

    it('rejects what does not decode', async () => {
      const error = await images.prepareForInstagram(Buffer.from('nope')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(Error);
    });
  });

  describe('prepareForInstagram for a story', () => {
    /** The story JPEG, and the box of its non-white pixels (the image itself; the rest is padding). */
    async function story(input: Buffer) {
      const output = await images.prepareForInstagram(input, 'story');
      const meta = await sharp(output).metadata();
      const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
      let [left, top, right, bottom] = [info.width, info.height, -1, -1];
      for (let y = 0; y < info.height; y++) {
        for (let x = 0; x < info.width; x++) {
          const i = (y * info.width + x) * info.channels;
          if (data[i] > 235 && data[i + 1] > 235 && data[i + 2] > 235) continue; // white: padding
          [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
        }
      }
      return { meta, box: { left, top, width: right - left + 1, height: bottom - top + 1 }, output };
    }

    // width × height of the input → the size the image takes in the 1080×1920 frame (the rest white)
    const CASES = [
      { name: 'square 1:1', width: 1000, height: 1000, fits: { width: 1080, height: 1080 } },
      { name: 'portrait 4:5', width: 1080, height: 1350, fits: { width: 1080, height: 1350 } },
      { name: 'landscape 16:9', width: 1920, height: 1080, fits: { width: 1080, height: 608 } },
      { name: 'already 9:16, larger', width: 2160, height: 3840, fits: { width: 1080, height: 1920 } },
      { name: 'taller than 9:16 (1:3)', width: 600, height: 1800, fits: { width: 640, height: 1920 } },
      { name: 'small 3:2, enlarged', width: 300, height: 200, fits: { width: 1080, height: 720 } },
    ];
    for (const { name, width, height, fits } of CASES) {
      it(`${name} (${width}×${height}): a 1080×1920 sRGB JPEG, the whole image centred in it, padded with white, never cropped`, async () => {
        const { meta, box } = await story(await solidImage(width, height, 'png'));
        expect(meta).to.include({ format: 'jpeg', width: 1080, height: 1920, space: 'srgb', channels: 3 });
        // JPEG blurs an edge by a pixel or two
        expect(box.width, 'the image spans').to.be.within(fits.width - 2, fits.width + 2);
        expect(box.height).to.be.within(fits.height - 2, fits.height + 2);
        expect(box.left + box.width / 2, 'centred across').to.be.within(538, 542);
        expect(box.top + box.height / 2, 'centred down').to.be.within(958, 962);
        expect(box.width / box.height, "the image's own ratio: nothing cut off").to.be.closeTo(width / height, 0.02);
      });
    }

    it("turns an image by its EXIF orientation before fitting it (a phone's portrait photo stays portrait)", async () => {
      const sideways = await sharp(await solidImage(1600, 900, 'png'))
        .jpeg()
        .withMetadata({ orientation: 6 })
        .toBuffer();
      const { box, meta } = await story(sideways);
      expect(meta).to.include({ width: 1080, height: 1920 });
      expect(box.width, 'shown 900×1600: as tall as the frame').to.be.within(1077, 1081);
      expect(box.height).to.be.within(1917, 1920);
    });

    it('fits the JPEG into the size limit as a feed image does', async () => {
      const noise = await noiseImage(540, 960);
      const limit = Math.floor((await images.prepareForInstagram(noise, 'story')).length * 0.6);
      const small = await new SharpImageProcessor({ maxJpegBytes: limit }).prepareForInstagram(noise, 'story');
      expect(small.length).to.be.at.most(limit);
      expect(await sharp(small).metadata()).to.include({ width: 1080, height: 1920 });
    });

    it('rejects what does not decode', async () => {
      const error = await images.prepareForInstagram(Buffer.from('nope'), 'story').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(Error);
    });
  });
});
