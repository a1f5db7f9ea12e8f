import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { keepCookies } from './browser.js';

export interface LoopbackResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The n-th address of 127.0.0.0/8 from 127.0.0.2 on: Linux routes the whole block to loopback,
 * so each client can be a distinct address to the server (and to any per-IP limit).
 */
export function loopbackAddress(n: number): string {
  const at = n + 2;
  return `127.${(at >> 16) & 255}.${(at >> 8) & 255}.${at & 255}`;
}

/** What browsers open to one host over HTTP/1.1; further requests wait for a free connection. */
const BROWSER_CONNECTIONS_PER_HOST = 6;

/**
 * One person's HTTP/1.1 client, like a browser: its own keep-alive pool of at most six connections,
 * whose sockets leave from `localAddress`, and a cookie jar as the Browser keeps it. Node 20's fetch
 * cannot choose a source address without the undici package, so this uses node:http's Agent.
 */
export class LoopbackClient {
  private readonly agent: Agent;
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    localAddress: string,
  ) {
    this.agent = new Agent({ keepAlive: true, localAddress, maxSockets: BROWSER_CONNECTIONS_PER_HOST });
  }

  /** `path` is relative to the base URL, or an absolute URL on the same host. */
  request(method: string, path: string, json?: unknown): Promise<LoopbackResponse> {
    const url = new URL(path, this.baseUrl);
    const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(body.length) });
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          keepCookies(this.cookies, res.headers['set-cookie'] ?? []);
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
