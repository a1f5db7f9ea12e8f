import { expect } from 'chai';
import { createServer, IncomingMessage, request, ServerResponse, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import sinon from 'sinon';
import { AdmittingKoa, arrivedAt } from '../../adapters/http/admitting-koa.js';
import { TurnAdmission } from '../../adapters/http/turn-admission.js';

/** Counts turns of the event loop: one immediate per check phase while `stop` is not called. */
function turnCounter(): { turn: () => number; stop: () => void } {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { turn: () => turn, stop: () => (running = false) };
}

describe('TurnAdmission', () => {
  it('starts requests while the turn is within its budget, the rest in arrival order, as many a turn as fit the budget', async () => {
    let clock = 0;
    const admission = new TurnAdmission(2, () => clock);
    const turns = turnCounter();
    const started: [number, number][] = [];
    const arrivals = [0, 1, 2, 3, 4, 5].map(async (n) => {
      const wait = admission.admit();
      if (wait !== undefined) await wait;
      started.push([n, turns.turn()]);
      clock += 1; // each request's start costs 1 ms
    });
    await Promise.all(arrivals);
    turns.stop();
    expect(started.map(([n]) => n)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    const turnOf = new Map(started);
    expect(turnOf.get(0)).to.equal(turnOf.get(1));
    expect(turnOf.get(2)).to.equal(turnOf.get(3)).and.to.be.greaterThan(turnOf.get(1)!);
    expect(turnOf.get(4)).to.equal(turnOf.get(5)).and.to.be.greaterThan(turnOf.get(3)!);
  });

  it('starts every cheap request in the turn it arrives in', () => {
    let clock = 0;
    const admission = new TurnAdmission(2, () => clock);
    for (let n = 0; n < 100; n++) {
      expect(admission.admit(), `request ${n}`).to.equal(undefined);
      clock += 0.01;
    }
  });

  it('lets a request start at once in a later turn, once the waiting ones have started', async () => {
    let clock = 0;
    const admission = new TurnAdmission(1, () => clock);
    expect(admission.admit()).to.equal(undefined);
    clock = 5;
    const second = admission.admit();
    expect(second).to.be.instanceOf(Promise);
    await second;
    await new Promise((turn) => setImmediate(turn));
    await new Promise((turn) => setImmediate(turn));
    expect(admission.admit()).to.equal(undefined);
  });

  describe('in front of a server', () => {
    let server: Server;
    let port: number;
    before(async () => {
      const admission = new TurnAdmission(0);
      server = createServer((req, res) => {
        const go = () => res.end(req.url);
        const wait = admission.admit();
        if (wait === undefined) go();
        else void wait.then(go);
      });
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise((closed) => server.close(closed)));

    it('answers every one of many requests that arrive together', async () => {
      const get = (n: number) =>
        new Promise<string>((answered, failed) => {
          request({ port, host: '127.0.0.1', path: `/${n}`, agent: false }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => answered(body));
          })
            .on('error', failed)
            .end();
        });
      const bodies = await Promise.all(Array.from({ length: 40 }, (_, n) => get(n)));
      expect(bodies).to.deep.equal(Array.from({ length: 40 }, (_, n) => `/${n}`));
    });
  });
});

describe('AdmittingKoa', () => {
  it("builds a request's Koa context only when its turn comes, and keeps when it arrived", async () => {
    let clock = 0;
    const app = new AdmittingKoa(new TurnAdmission(1, () => clock));
    const createContext = sinon.spy(app, 'createContext');
    const arrivals: (number | undefined)[] = [];
    app.use((ctx) => {
      clock += 5; // each request costs more than the turn's budget: the next one waits for the next turn
      arrivals.push(arrivedAt(ctx.req));
      ctx.body = 'ok';
    });
    const handle = app.callback();
    const earliest = performance.now();
    const exchanges = [1, 2, 3].map(() => {
      const req = new IncomingMessage(new Socket());
      req.method = 'GET';
      req.url = '/';
      const res = new ServerResponse(req);
      return { res, answered: handle(req, res) };
    });
    const latest = performance.now();
    expect(createContext.callCount, 'contexts built while two requests wait').to.equal(1);
    await Promise.all(exchanges.map(({ answered }) => answered));
    expect(createContext.callCount).to.equal(3);
    expect(exchanges.map(({ res }) => res.statusCode)).to.deep.equal([200, 200, 200]);
    // arrival times: when handle() was called, not when the turn came
    for (const arrived of arrivals) expect(arrived).to.be.within(earliest, latest);
  });
});
