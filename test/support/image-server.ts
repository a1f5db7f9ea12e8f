import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface ImageServer {
  url: string;
  /** Paths served (e.g. `/square.jpg` → bytes); tests may add their own. */
  files: Map<string, Buffer>;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A plain JPEG of this size (what the worker hands Meta after its conversion). */
export function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .toBuffer();
}

/**
 * The app's public media as Meta would fetch it, on 127.0.0.1: `/square.jpg`, `/portrait.jpg` (4:5),
 * `/landscape.jpg` (1.91:1), `/tall.jpg` (1:2, outside Instagram's range), `/story.jpg` (9:16), `/photo.png` and `/huge.jpg`
 * (JPEG magic, then over 8 MiB). Anything else is 404.
 */
export async function startImageServer(): Promise<ImageServer> {
  const files = new Map<string, Buffer>([
    ['/square.jpg', await jpeg(1080, 1080)],
    ['/portrait.jpg', await jpeg(1080, 1350)],
    ['/landscape.jpg', await jpeg(1910, 1000)],
    ['/tall.jpg', await jpeg(500, 1000)],
    ['/story.jpg', await jpeg(1080, 1920)],
    [
      '/photo.png',
      await sharp({ create: { width: 100, height: 100, channels: 3, background: '#123456' } })
        .png()
        .toBuffer(),
    ],
    ['/huge.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(8 * 1024 * 1024)])],
  ]);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': req.url?.endsWith('.png') ? 'image/png' : 'image/jpeg' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
