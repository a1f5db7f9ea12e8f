import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Cuts every open connection and stops listening: the target looks down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Keeps every connection open and forwards nothing more, new ones included: the target looks frozen (a paused server). */
  hang(): void;
}

/** A TCP forwarder on 127.0.0.1, to make a real server disappear and come back. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let hung = false;
  const server = net.createServer((client) => {
    if (hung) return void sockets.add(client.on('error', () => client.destroy()));
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (on: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => resolve());
    });
  await listen(0);
  const proxyPort = (server.address() as net.AddressInfo).port;
  return {
    port: proxyPort,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
    start: () => listen(proxyPort),
    hang() {
      hung = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
  };
}
