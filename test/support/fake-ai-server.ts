import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';

/** How the fake answers. */
export type FakeAiAnswer =
  /** 200 `{"image":"data:image/png;base64,<pngBytes>"}`. */
  | { kind: 'png' }
  /** `body` sent as JSON with this status (200 by default). */
  | { kind: 'json'; body: unknown; status?: number }
  /** `body` sent as it is (e.g. broken JSON, a redirect with `headers: {location}`), with a Content-Length. */
  | { kind: 'raw'; body: string | Buffer; status?: number; contentType?: string; headers?: Record<string, string> }
  /** Waits, then answers png (timeout tests). */
  | { kind: 'delay'; ms: number }
  /** Destroys the socket without answering. */
  | { kind: 'destroy' }
  /** 200 JSON, chunked with no Content-Length, `bytes` long in 64 KiB chunks, written only as fast as the client reads. */
  | { kind: 'flood'; bytes: number };

export interface FakeAiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** Body bytes of the answer handed to the socket so far. */
  bytesSent: number;
  /** The connection closed before the answer was complete (the client hung up, or `destroy`). */
  aborted: boolean;
}

export interface FakeAi {
  url: string;
  /** The PNG inside every `png` answer. */
  pngBytes: Buffer;
  /** The answer to every request from now on, until changed (default `{ kind: 'png' }`). */
  next: FakeAiAnswer;
  /** When set, the answer to the next request only; then cleared and `next` applies again. */
  once?: FakeAiAnswer;
  /** Everything received, in order. */
  requests: FakeAiRequest[];
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x41);

/** A stand-in for the AI image server on 127.0.0.1: POST /predict, everything else 404. */
export async function startFakeAi(): Promise<FakeAi> {
  const pngBytes = smallPng();
  const timers = new Set<NodeJS.Timeout>();

  const fake: FakeAi = {
    url: '',
    pngBytes,
    next: { kind: 'png' },
    requests: [],
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const answerPng = (res: ServerResponse, record: FakeAiRequest) =>
    send(res, record, 200, 'application/json', JSON.stringify({ image: `data:image/png;base64,${pngBytes.toString('base64')}` }));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = Buffer.concat(await req.toArray()).toString('utf8');
    const record: FakeAiRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: parse(text),
      bytesSent: 0,
      aborted: false,
    };
    fake.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/predict') {
      send(res, record, 404, 'application/json', JSON.stringify({ error: 'not_found' }));
      return;
    }
    const answer = fake.once ?? fake.next;
    fake.once = undefined;
    switch (answer.kind) {
      case 'png':
        answerPng(res, record);
        return;
      case 'json':
        send(res, record, answer.status ?? 200, 'application/json', JSON.stringify(answer.body));
        return;
      case 'raw':
        send(res, record, answer.status ?? 200, answer.contentType ?? 'text/plain', answer.body, answer.headers);
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answerPng(res, record);
        }, answer.ms);
        timers.add(timer);
        return;
      }
      case 'destroy':
        req.socket.destroy();
        return;
      case 'flood':
        flood(res, record, answer.bytes);
        return;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function send(
  res: ServerResponse,
  record: FakeAiRequest,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length, ...headers });
  record.bytesSent += bytes.length;
  res.end(bytes);
}

/** Writes `{"image":"AAAA…` until `bytes` are sent or the client hangs up, waiting for drain between chunks. */
function flood(res: ServerResponse, record: FakeAiRequest, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const write = () => {
    while (!res.destroyed && record.bytesSent < bytes) {
      const chunk = record.bytesSent === 0 ? Buffer.concat([Buffer.from('{"image":"'), CHUNK]) : CHUNK;
      record.bytesSent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', write);
        return;
      }
    }
    if (!res.destroyed) res.end('"}');
  };
  write();
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An 8×8 RGBA PNG, a real one (pngjs decodes it). */
function smallPng(): Buffer {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 200;
    png.data[i + 1] = (i * 3) % 256;
    png.data[i + 2] = 80;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}
