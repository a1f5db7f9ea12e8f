import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

export interface ClientSocketWatch {
  /** Connection attempts to the watched port so far, refused ones included. */
  readonly attempts: number;
  /** Failed DNS lookups of the watched host so far. */
  readonly failedLookups: number;
  stop(): void;
}

/**
 * Watches the client sockets this process opens (diagnostics channel net.client.socket) for what no server sees:
 * connection attempts to `port`, refused ones included, and failed lookups of `host`. `onRefused` runs after each
 * refused attempt.
 */
export function watchClientSockets(target: { port?: number; host?: string; onRefused?: () => void }): ClientSocketWatch {
  let attempts = 0;
  let failedLookups = 0;
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.on('connectionAttempt', (_ip: string, port: number) => {
      if (port === target.port) attempts++;
    });
    socket.on('connectionAttemptFailed', (_ip: string, port: number, _family: number, error: NodeJS.ErrnoException) => {
      if (port === target.port && error.code === 'ECONNREFUSED') target.onRefused?.();
    });
    socket.on('lookup', (error: Error | null, _address: string, _family: number, host: string) => {
      if (error && host === target.host) failedLookups++;
    });
  };
  subscribe('net.client.socket', onSocket);
  return {
    get attempts() {
      return attempts;
    },
    get failedLookups() {
      return failedLookups;
    },
    stop: () => unsubscribe('net.client.socket', onSocket),
  };
}
