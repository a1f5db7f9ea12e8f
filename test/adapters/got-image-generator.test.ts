import { expect } from 'chai';
import { createServer, type Server, type Socket, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { GotImageGenerator } from '../../adapters/ai/got-image-generator.js';
import { ImageGenerationFailed, type ImageRequest } from '../../core/images/index.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { watchClientSockets } from '../support/client-sockets.js';
import { startFakeAi, type FakeAi } from '../support/fake-ai-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const REQUEST: ImageRequest = { name: '민지', gender: '여성', feature: '단발머리', options: ['밝은', '자연광'], personaId: 7 };
const { personaId, ...common } = REQUEST;
/** The same request as the AI server receives it. */
const WIRE_REQUEST = { ...common, persona_id: personaId };
const MAX_IMAGE_BYTES = 300_000;
/** What the adapter lets arrive: base64 of MAX_IMAGE_BYTES plus 64 KiB of envelope. */
const CAP = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;

async function failure(promise: Promise<unknown>): Promise<ImageGenerationFailed> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected an ImageGenerationFailed rejection').to.be.instanceOf(ImageGenerationFailed);
  return error as ImageGenerationFailed;
}

/** A TCP server that counts connections and hands each socket to `onSocket` (by default: reset at once). */
async function startTcp(onSocket: (socket: Socket, index: number) => void = (socket) => socket.destroy()) {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onSocket(socket, connections++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  for (const start = Date.now(); !condition() && Date.now() - start < ms;) await sleep(10);
}

describe('GotImageGenerator (against a fake AI server on 127.0.0.1)', () => {
  let ai: FakeAi;
  let logs: CapturedLogs;
  const generator = (extra: { serviceUrl?: string; timeoutMs?: number; maxImageBytes?: number } = {}) =>
    new GotImageGenerator({ serviceUrl: ai.url, timeoutMs: 2000, maxImageBytes: MAX_IMAGE_BYTES, ...extra }, logs.logger);

  beforeEach(async () => {
    ai = await startFakeAi();
    logs = captureLogs();
  });
  afterEach(() => ai.close());

  describe('a good answer', () => {
    it('POSTs the request as JSON to /predict and resolves with the image string exactly as sent', async () => {
      const image = await generator().generate(REQUEST);
      expect(image).to.equal(`data:image/png;base64,${ai.pngBytes.toString('base64')}`);
      expect(ai.requests).to.have.length(1);
      expect(ai.requests[0].method).to.equal('POST');
      expect(ai.requests[0].path).to.equal('/predict');
      expect(ai.requests[0].headers['content-type']).to.match(/^application\/json/);
      expect(ai.requests[0].body, 'the AI server names the persona persona_id').to.deep.equal(WIRE_REQUEST);
    });

    it('passes on whatever string `image` holds (the caller checks it)', async () => {
      ai.next = { kind: 'json', body: { image: 'not a data uri', extra: 1 } };
      expect(await generator().generate(REQUEST)).to.equal('not a data uri');
    });

    it('accepts an answer carrying an image of the largest allowed size', async () => {
      const image = `data:image/png;base64,${Buffer.alloc(MAX_IMAGE_BYTES, 7).toString('base64')}`;
      ai.next = { kind: 'json', body: { image } };
      expect(await generator().generate(REQUEST)).to.equal(image);
    });
  });

  describe('answers that are not an image', () => {
    it('a 500 → status_500, asked once (no retry on HTTP errors)', async () => {
      ai.next = { kind: 'json', status: 500, body: { error: 'boom' } };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('status_500');
      await sleep(300);
      expect(ai.requests).to.have.length(1);
    });

    it('a 503 and a 429 → their status, asked once each', async () => {
      ai.next = { kind: 'json', status: 503, body: {} };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('status_503');
      ai.next = { kind: 'raw', status: 429, body: 'slow down', headers: { 'retry-after': '0' } };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('status_429');
      await sleep(300);
      expect(ai.requests).to.have.length(2);
    });

    it('a 302 is not followed → status_302', async () => {
      ai.next = { kind: 'raw', status: 302, body: '', headers: { location: `${ai.url}/predict?again=1` } };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('status_302');
      await sleep(100);
      expect(ai.requests.map((r) => r.path)).to.deep.equal(['/predict']);
    });

    it('a body that is not JSON → not_json', async () => {
      ai.next = { kind: 'raw', body: '<html>oops</html>', contentType: 'text/html' };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('not_json');
    });

    it('JSON that is not an object → not_json', async () => {
      for (const body of [['data:image/png;base64,AAAA'], 'data:image/png;base64,AAAA', null]) {
        ai.next = { kind: 'json', body };
        expect((await failure(generator().generate(REQUEST))).reason, JSON.stringify(body)).to.equal('not_json');
      }
    });

    it('JSON without a string image → missing_image', async () => {
      for (const body of [{}, { result: 'data:image/png;base64,AAAA' }, { image: 42 }, { image: null }, { image: { data: 'x' } }]) {
        ai.next = { kind: 'json', body };
        expect((await failure(generator().generate(REQUEST))).reason, JSON.stringify(body)).to.equal('missing_image');
      }
    });

    it('a compressed answer is not inflated → not_json', async () => {
      const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x41));
      ai.next = { kind: 'raw', body: bomb, contentType: 'application/json', headers: { 'content-encoding': 'gzip' } };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('not_json');
      expect(ai.requests[0].headers['accept-encoding'] ?? 'identity').to.not.match(/gzip|br|deflate/);
    });
  });

  describe('the size cap', () => {
    it('a declared Content-Length past the cap → too_large', async () => {
      ai.next = { kind: 'raw', body: Buffer.alloc(CAP + 1, 0x41), contentType: 'application/json' };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('too_large');
    });

    it('a chunked answer is cut off once past the cap → too_large, long before it ends', async () => {
      const flood = 200 * 1024 * 1024;
      ai.next = { kind: 'flood', bytes: flood };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('too_large');
      await until(() => ai.requests[0]?.aborted === true);
      expect(ai.requests[0].aborted, 'the client hung up').to.equal(true);
      expect(ai.requests[0].bytesSent).to.be.below(flood / 10);
      expect(ai.requests).to.have.length(1);
    });
  });

  describe('time budget', () => {
    it('an answer slower than timeoutMs → timeout, in about timeoutMs, not retried', async () => {
      ai.next = { kind: 'delay', ms: 5000 };
      const started = Date.now();
      expect((await failure(generator({ timeoutMs: 300 }).generate(REQUEST))).reason).to.equal('timeout');
      expect(Date.now() - started).to.be.below(900);
      await sleep(300);
      expect(ai.requests).to.have.length(1);
      expect(ai.requests[0].aborted, 'the client hung up').to.equal(true);
    });

    it('the budget covers the retry: a slow reset then a silent second attempt → timeout at the budget', async () => {
      // First connection: reset after 800 ms; second: never answered. Per-attempt timeouts would take ~1.9 s.
      const tcp = await startTcp((socket, index) => {
        if (index === 0) setTimeout(() => socket.destroy(), 800);
      });
      try {
        const started = Date.now();
        expect((await failure(generator({ serviceUrl: tcp.url, timeoutMs: 1000 }).generate(REQUEST))).reason).to.equal('timeout');
        const elapsed = Date.now() - started;
        expect(tcp.connections()).to.equal(2);
        expect(elapsed).to.be.below(1600);
      } finally {
        await tcp.close();
      }
    });
  });

  describe('connection errors', () => {
    it('a reset connection is tried exactly twice → connection_reset', async () => {
      const tcp = await startTcp();
      try {
        expect((await failure(generator({ serviceUrl: tcp.url }).generate(REQUEST))).reason).to.equal('connection_reset');
        await sleep(300);
        expect(tcp.connections()).to.equal(2);
      } finally {
        await tcp.close();
      }
    });

    it('a socket destroyed after the request is read is retried once and the second answer is used', async () => {
      ai.once = { kind: 'destroy' };
      const image = await generator().generate(REQUEST);
      expect(image).to.equal(`data:image/png;base64,${ai.pngBytes.toString('base64')}`);
      expect(ai.requests.map((r) => r.body)).to.deep.equal([WIRE_REQUEST, WIRE_REQUEST]);
    });

    it('a server that destroys every socket is asked twice → connection_reset', async () => {
      ai.next = { kind: 'destroy' };
      expect((await failure(generator().generate(REQUEST))).reason).to.equal('connection_reset');
      await sleep(300);
      expect(ai.requests).to.have.length(2);
    });

    // Node ≥ 24.20 reports a refused connection twice (the cause, then ERR_SOCKET_CLOSED_BEFORE_CONNECTION): these
    // prove the cause is what counts and the retry happens, on every Node the suite runs on.
    it('a closed port is tried exactly twice → connection_refused', async () => {
      const tcp = await startTcp();
      const closedUrl = tcp.url;
      await tcp.close();
      const sockets = watchClientSockets({ port: Number(new URL(closedUrl).port) });
      try {
        expect((await failure(generator({ serviceUrl: closedUrl }).generate(REQUEST))).reason).to.equal('connection_refused');
        await sleep(300);
        expect(sockets.attempts).to.equal(2);
      } finally {
        sockets.stop();
      }
      expect(logs.entries()[0]).to.include({ reason: 'connection_refused', failure: 'RequestError ECONNREFUSED' });
    });

    it('a refused connection is retried once and the second answer is used', async () => {
      const proxy = await startTcpProxy('127.0.0.1', Number(new URL(ai.url).port));
      await proxy.stop();
      let restarted: Promise<void> | undefined;
      const sockets = watchClientSockets({ port: proxy.port, onRefused: () => void (restarted ??= proxy.start()) });
      try {
        const image = await generator({ serviceUrl: `http://127.0.0.1:${proxy.port}` }).generate(REQUEST);
        expect(image).to.equal(`data:image/png;base64,${ai.pngBytes.toString('base64')}`);
        expect(restarted, 'the first attempt was refused').to.not.equal(undefined);
        expect(sockets.attempts).to.equal(2);
        expect(ai.requests).to.have.length(1);
      } finally {
        sockets.stop();
        await restarted;
        await proxy.stop();
      }
    });

    it('an unresolvable host is looked up exactly twice → dns_failed', async () => {
      const sockets = watchClientSockets({ host: 'ai.invalid' });
      try {
        expect((await failure(generator({ serviceUrl: 'http://ai.invalid' }).generate(REQUEST))).reason).to.equal('dns_failed');
        await sleep(300);
        expect(sockets.failedLookups).to.equal(2);
      } finally {
        sockets.stop();
      }
      expect(logs.entries()[0]).to.include({ reason: 'dns_failed', failure: 'RequestError ENOTFOUND' });
    });
  });

  describe('what leaves the adapter', () => {
    it('rejects with the reason only and logs no URL, port or body', async () => {
      ai.next = { kind: 'json', status: 500, body: { error: 'secret-detail' } };
      const error = await failure(generator().generate(REQUEST));
      expect(Object.keys(error)).to.have.members(['reason', 'name']);
      expect(error.message).to.equal('image generation failed: status_500');
      expect(error.cause).to.equal(undefined);

      const tcp = await startTcp();
      try {
        const reset = await failure(generator({ serviceUrl: tcp.url }).generate(REQUEST));
        expect(reset.cause).to.equal(undefined);
        expect(reset.stack ?? '').to.not.include('127.0.0.1');
      } finally {
        await tcp.close();
      }
      const text = logs.text();
      expect(logs.entries().map((e) => e.reason)).to.deep.equal(['status_500', 'connection_reset']);
      expect(text).to.not.include('127.0.0.1');
      expect(text).to.not.include('secret-detail');
      expect(text).to.not.include('민지');
    });

    it('works without a logger', async () => {
      ai.next = { kind: 'raw', body: 'nope' };
      const silent = new GotImageGenerator({ serviceUrl: ai.url, timeoutMs: 2000, maxImageBytes: MAX_IMAGE_BYTES });
      expect((await failure(silent.generate(REQUEST))).reason).to.equal('not_json');
    });
  });
});
