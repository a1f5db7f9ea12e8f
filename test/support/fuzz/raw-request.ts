import { maxHeaderSize, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as written: percent escapes, dot segments and latin1 bytes included. */
  target: string;
  /** In order, duplicates kept. */
  headers: [string, string][];
  body?: Uint8Array;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * Sends `req` over a fresh connection, exactly as given (node's client checks nothing but line breaks).
 * Headers past node's maxHeaderSize are refused by node's own parser before the app sees them: node 20
 * answers 431, node 24 resets the connection while a body is still arriving. That reset is reported as
 * the 431 it stands for; any other connection error fails.
 */
export function sendRaw(base: string, req: RawRequest): Promise<RawAnswer> {
  const { host, hostname, port } = new URL(base);
  // Given as a list, headers get no Host from node: without one, node's server answers 400 itself.
  const headers: [string, string][] = req.headers.some(([name]) => name.toLowerCase() === 'host')
    ? [...req.headers]
    : [['host', host], ...req.headers];
  // Nor a Content-Length for a GET's body: the body would then read as a second, garbled request.
  if (req.body) headers.push(['content-length', String(req.body.length)]);
  return new Promise((done, fail) => {
    const outgoing = request(
      { host: hostname, port, method: req.method, path: req.target, headers: headers.flat(), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks) }),
        );
        res.on('error', fail);
      },
    );
    // What node's parser counts against maxHeaderSize: the request line and every header line.
    const requestLine = req.method.length + req.target.length + 11;
    const headerBytes = headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, requestLine);
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const refusedByParser = headerBytes > maxHeaderSize && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      if (refusedByParser) done({ status: 431, contentType: '', body: Buffer.alloc(0) });
      else fail(error);
    });
    outgoing.end(req.body);
  });
}
