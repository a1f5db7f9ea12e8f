import { checkResponse } from './response-schemas.js';

/**
 * A minimal browser for redirect flows: a cookie jar per host (no paths, no expiry beyond
 * deletion) and manual or followed redirects.
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** Cookie header value for `url`'s host ('' when none). */
  cookieHeader(url: string): string {
    const jar = this.jars.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  /** Puts the cookies of a `name=value; …` header into `url`'s jar. */
  adopt(url: string, header: string): void {
    const jar = this.jars.get(new URL(url).host) ?? new Map<string, string>();
    this.jars.set(new URL(url).host, jar);
    for (const pair of header.split(/;\s*/)) {
      const at = pair.indexOf('=');
      if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).host)?.get(name);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    const host = new URL(url).host;
    const jar = this.jars.get(host) ?? new Map<string, string>();
    this.jars.set(host, jar);
    keepCookies(jar, res.headers.getSetCookie());
    await checkResponse(url, init.method, res);
    return res;
  }

  /** Follows 3xx answers until one is not a redirect or leaves for `stopAt` (an origin). Returns every hop. */
  async follow(url: string, stopAt?: string): Promise<{ url: string; res: Response }[]> {
    const hops: { url: string; res: Response }[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await this.fetch(url);
      hops.push({ url, res });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return hops;
      url = new URL(location, url).href;
      if (stopAt && url.startsWith(stopAt)) {
        hops.push({ url, res: new Response(null, { status: 204 }) });
        return hops;
      }
    }
    throw new Error('too many redirects');
  }
}

/** Applies `Set-Cookie` lines to a jar: an empty or expired cookie is deleted. */
export function keepCookies(jar: Map<string, string>, setCookies: string[]): void {
  for (const line of setCookies) {
    const [, name, value] = /^([^=]+)=([^;]*)/.exec(line) ?? [];
    if (!name) continue;
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}
