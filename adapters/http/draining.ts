/**
 * The shutdown's drain. From `begin()` on, the listener is closed but requests still arrive on
 * keep-alive connections opened before: they are served (a load balancer may send some until it sees
 * /health/ready answer 503), each answer with `Connection: close` so that the client moves on to
 * another instance and the connection ends. `begin()` resolves once no request is in flight.
 */
export class Draining {
  active = false;
  private inFlight = 0;
  private onIdle: (() => void) | undefined;

  begin(): Promise<void> {
    this.active = true;
    return this.inFlight === 0 ? Promise.resolve() : new Promise((idle) => (this.onIdle = idle));
  }

  /** A request starts. */
  enter(): void {
    this.inFlight++;
  }

  /** A request has its answer: true when it must close its connection (the drain has begun). */
  leave(): boolean {
    if (--this.inFlight === 0) this.onIdle?.();
    return this.active;
  }
}
