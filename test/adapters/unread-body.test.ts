import { expect } from 'chai';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dropUnreadBody } from '../../adapters/http/unread-body.js';

/** A server whose handler takes the first chunk of a POST, then hands the request to `handle` 100 ms later. */
async function withRequest(send: (port: number) => void, handle: (req: IncomingMessage) => Promise<void>): Promise<void> {
  let handled!: Promise<void>;
  const server = createServer((req, res) => {
    handled = new Promise((done, fail) =>
      req.once('data', () => {
        req.pause();
        setTimeout(() => {
          handle(req).then(() => {
            res.end('ok');
            done();
          }, fail);
        }, 100);
      }),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  send((server.address() as AddressInfo).port);
  await new Promise((seen) => setTimeout(seen, 50));
  await handled;
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
}

describe('dropUnreadBody: what is left of a body the route did not read', () => {
  it('reads a body still arriving to its end', async () => {
    await withRequest(
      (port) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 3000 } });
        req.on('error', () => {});
        req.write(Buffer.alloc(1000));
        setTimeout(() => req.end(Buffer.alloc(2000)), 150);
      },
      async (req) => {
        await dropUnreadBody(req);
        expect(req.complete, 'the whole body was read').to.equal(true);
      },
    );
  });

  it('does not wait for a client that went away (its request is destroyed: no more bytes will come)', async () => {
    await withRequest(
      (port) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 100_000 } });
        req.on('error', () => {});
        req.write(Buffer.alloc(1000));
        setTimeout(() => req.destroy(), 30);
      },
      async (req) => {
        expect(req.destroyed).to.equal(true);
        const started = Date.now();
        await dropUnreadBody(req);
        expect(Date.now() - started, 'not the 2 s bound').to.be.below(1000);
      },
    );
  });
});
