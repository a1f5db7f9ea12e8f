import type { Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { startJobWorker } from './job-worker.js';
import { buildContainer, resolve, type ContainerParts } from './container.js';
import type { Persistence } from './persistence.js';
import { TOKENS } from './tokens.js';

const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface RunningServer {
  server: Server;
  url: string;
  /**
   * Readiness turns 503 and the listener closes; requests in flight, and those still sent on open
   * keep-alive connections meanwhile, are answered until none is in flight (at most `graceMs`, default
   * SHUTDOWN_GRACE_MS); then every connection is closed. Meanwhile the job worker finishes or releases its
   * job. Then the database closes.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Listens with the given persistence, purging expired sessions and used sign-in states hourly; runs the job worker when WORKER=1. */
export async function startServer(
  parts: { config: Config; logger: Logger; persistence: Persistence } & Partial<ContainerParts>,
): Promise<RunningServer> {
  const { config, logger, persistence } = parts;
  const container = buildContainer(parts);
  const app = resolve(container, TOKENS.App);
  const draining = resolve(container, TOKENS.Draining);
  resolve(container, TOKENS.Metrics).watchJobs(() => persistence.jobs.stats(new Date()));
  const purgeOf = (store: { purgeExpired(now: Date): Promise<number> }, what: string) => () =>
    store
      .purgeExpired(new Date())
      .then((count) => count && logger.info({ count }, `purged expired ${what}`))
      .catch((err) => logger.warn({ err }, `could not purge expired ${what}`));
  const purgeSessions = purgeOf(persistence.sessions, 'sessions');
  const purgeUsedStates = purgeOf(persistence.usedStates, 'used sign-in states');
  const purge = () => Promise.all([purgeSessions(), purgeUsedStates()]);
  await purge();
  const purgeTimer = setInterval(() => void purge(), PURGE_EVERY_MS).unref(); // purge() never rejects (it logs)

  const server: Server = await new Promise((ready, fail) => {
    const s = app.listen(config.port, config.host, () => ready(s)).once('error', fail);
  });
  const { port } = server.address() as AddressInfo;
  const worker = config.worker ? startJobWorker(container) : null;
  return {
    server,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    async stop(graceMs = config.shutdownGraceMs) {
      clearInterval(purgeTimer);
      const closed = new Promise((done) => server.once('close', done)); // when the last connection has ended
      // net's close, not http's: http's also closes the idle keep-alive connections at once, which may
      // still ask (readiness, above all) while the drain lasts.
      net.Server.prototype.close.call(server);
      void draining.begin().then(() => server.closeIdleConnections());
      const force = setTimeout(() => server.closeAllConnections(), graceMs).unref();
      await Promise.all([closed, worker?.stop()]);
      clearTimeout(force);
      await persistence.close();
    },
  };
}
