import { expect } from 'chai';
import { Readable } from 'node:stream';
import { hasErrorCode } from '../../core/shared/index.js';
import type { MediaStore, StoredFile } from '../../core/images/index.js';

export interface MediaStoreFixture {
  store: MediaStore;
  /** The URL path its saves answer under (`/media` but for the in-memory double). */
  urlPath: string;
  teardown(): Promise<void>;
}

/** A store of the same kind whose backend accepts connections and never answers (a bucket that hangs). */
export interface UnansweringStore {
  store: MediaStore;
  /** How long its calls may take before they give up. */
  timeoutMs: number;
  teardown(): Promise<void>;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 5, 6, 7, 8]);
const NAME = /^[0-9a-f]{64}\.(?:png|jpg|webp)$/;

async function bytesOf(file: StoredFile): Promise<Buffer> {
  if (!(file.body instanceof Readable)) return Buffer.from(file.body);
  const chunks: Buffer[] = [];
  for await (const chunk of file.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The MediaStore contract (core/images/ports/media-store.ts), on every implementation. */
export function describeMediaStore(
  name: string,
  setup: () => Promise<MediaStoreFixture>,
  unanswering?: () => Promise<UnansweringStore>,
): void {
  describe(`MediaStore contract: ${name}`, () => {
    let f: MediaStoreFixture;

    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.teardown();
    });

    it('names a file by the SHA-256 of its bytes: the same bytes, the same URL; other bytes, another', async () => {
      const url = await f.store.save(PNG, 'png');
      expect(url.startsWith(`${f.urlPath}/`), url).to.equal(true);
      expect(url.slice(f.urlPath.length + 1)).to.match(NAME);
      expect(await f.store.save(Uint8Array.from(PNG), 'png')).to.equal(url);
      expect(await f.store.save(Buffer.concat([PNG, Buffer.from([9])]), 'png')).not.to.equal(url);
      expect(await f.store.save(JPEG, 'jpg')).to.match(/\.jpg$/);
    });

    it('reads and opens a saved file with its bytes, content type, size and time', async () => {
      const before = Date.now() - 2000; // stores keep whole seconds
      const url = await f.store.save(JPEG, 'jpg');
      expect(await f.store.read(url)).to.deep.equal(JPEG);
      const file = (await f.store.open(url))!;
      expect(file.contentType).to.equal('image/jpeg');
      expect(file.size).to.equal(JPEG.length);
      expect(file.modified.getTime()).to.be.within(before, Date.now() + 1000);
      expect(await bytesOf(file)).to.deep.equal(JPEG);
      expect((await f.store.open(await f.store.save(PNG, 'png')))!.contentType).to.equal('image/png');
    });

    it('answers null for a missing file and for any URL that is not one of its names', async () => {
      const url = await f.store.save(PNG, 'png');
      const missing = `${f.urlPath}/${'0'.repeat(64)}.png`;
      for (const other of [
        missing,
        `${f.urlPath}/../x.png`,
        `${f.urlPath}/notes.txt`,
        url.toUpperCase(),
        `/elsewhere/${url.split('/').pop()}`,
      ]) {
        expect(await f.store.read(other), other).to.equal(null);
        expect(await f.store.open(other), other).to.equal(null);
        await f.store.remove(other);
      }
      expect(await f.store.read(url)).to.deep.equal(PNG);
    });

    it('removes a file by its URL, idempotently, leaving the others', async () => {
      const url = await f.store.save(PNG, 'png');
      const other = await f.store.save(JPEG, 'jpg');
      await f.store.remove(url);
      await f.store.remove(url);
      expect(await f.store.read(url)).to.equal(null);
      expect(await f.store.open(url)).to.equal(null);
      expect(await f.store.read(other)).to.deep.equal(JPEG);
    });

    if (unanswering) {
      it('rejects every call with media_store_unavailable within its timeout when the backend never answers', async () => {
        const { store, timeoutMs, teardown } = await unanswering();
        try {
          const url = `${f.urlPath}/${'a'.repeat(64)}.png`;
          for (const [call, work] of [
            ['save', () => store.save(PNG, 'png')],
            ['read', () => store.read(url)],
            ['open', () => store.open(url)],
            ['remove', () => store.remove(url)],
          ] as const) {
            const started = Date.now();
            const error = await (work() as Promise<unknown>).then(
              () => expect.fail(`${call} resolved`),
              (rejection: unknown) => rejection,
            );
            expect(hasErrorCode(error, 'media_store_unavailable'), `${call}: ${String(error)}`).to.equal(true);
            expect(Date.now() - started, call).to.be.below(timeoutMs + 1500);
          }
        } finally {
          await teardown();
        }
      });
    }
  });
}
