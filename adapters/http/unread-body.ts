import type { IncomingMessage } from 'node:http';

/** Bodies up to this size that a route left unread are read to their end before the answer goes out. */
const MAX_UNREAD_BYTES = 1024 * 1024;
/** How long the rest of such a body may take to arrive. */
const MAX_UNREAD_MS = 2000;

/**
 * Reads and drops what is left of a request body the route did not read (a GET sent with a body, a
 * refusal before the body was read). Why: when the connection then closes (`Connection: close`, or
 * shutdown), bytes still arriving make the kernel reset it, and a client still sending loses the answer
 * with it. Node reads such a rest only after the answer, too late for that. Bounded by size and time:
 * beyond them the connection closes as before.
 */
export async function dropUnreadBody(req: IncomingMessage): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  // A client that went away has nothing more to send: waiting would only hold the request for MAX_UNREAD_MS.
  if (declared > MAX_UNREAD_BYTES || req.destroyed) return;
  let seen = 0;
  const ended = new Promise<void>((done) => {
    const stop = () => {
      clearTimeout(timer);
      req.off('data', count);
      req.off('end', stop);
      req.off('error', stop);
      req.off('close', stop);
      done();
    };
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_UNREAD_BYTES) {
        req.pause();
        stop();
      }
    };
    const timer = setTimeout(stop, MAX_UNREAD_MS);
    req.on('data', count);
    req.once('end', stop);
    req.once('error', stop);
    req.once('close', stop);
    req.resume();
  });
  await ended;
}
