import type { IncomingMessage } from 'node:http';
import Koa from 'koa';
import type { AppState } from './app-state.js';
import type { TurnAdmission } from './turn-admission.js';

const ARRIVED = Symbol('arrived');
type Arrived = { [ARRIVED]?: number };

/** When the request reached the app (performance.now()), before it waited for its turn; undefined outside AdmittingKoa. */
export function arrivedAt(req: IncomingMessage): number | undefined {
  return (req as IncomingMessage & Arrived)[ARRIVED];
}

/**
 * Koa whose requests wait for their turn of the event loop (turn-admission.ts) before Koa builds their
 * context. Why here and not in a middleware: with 50 requests in flight most of them are waiting, and a
 * waiting request held Koa's context, request, response and the plumbing's headers across several young-
 * generation collections, which promoted them to the old generation and brought on its collections. Now a
 * waiting request holds only Node's request and response; what Koa makes is made when it starts and mostly
 * dies young (measured in the same rounds: 16–20% less CPU on the posts page, 6–11% on MariaDB's other
 * database routes; docs/performance.md). The arrival time travels on the request (arrivedAt), so durations still
 * count the wait.
 */
export class AdmittingKoa extends Koa<AppState> {
  constructor(private readonly admission: TurnAdmission) {
    super();
  }

  override callback(): ReturnType<Koa['callback']> {
    const handle = super.callback();
    return (req, res) => {
      (req as Arrived)[ARRIVED] = performance.now();
      const turn = this.admission.admit();
      return turn === undefined ? handle(req, res) : turn.then(() => handle(req, res));
    };
  }
}
