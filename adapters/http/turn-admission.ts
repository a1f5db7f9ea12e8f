/**
 * Lets requests start in one turn of the event loop while the turn has spent less than `budgetMs` on
 * them; the rest wait for the next turns, first come first served.
 *
 * Why: libuv accepts one connection per turn (libuv #3696), and a turn runs every request whose bytes
 * have arrived. When many clients connect at once, each new connection waits for all the requests of the
 * ones already accepted: with 50 connections opened together and a route of 0.5 ms, the last one was
 * accepted after ~0.6 s (p99 over 250 ms on the posts page). With a budget per turn, the loop comes back
 * to accept() every few milliseconds, whatever the routes cost; cheap requests (GET /health) all still
 * start in the turn they arrive in.
 */
export class TurnAdmission {
  private startedThisTurn = 0;
  private turnStarted = 0;
  private turnScheduled = false;
  private readonly waiting: (() => void)[] = [];
  private head = 0;
  /** What a request took to start, lately: the time a turn spent on its requests over their number. */
  private costMs = 0;

  constructor(
    private readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** undefined: start now; a promise: start when it resolves. */
  admit(): Promise<void> | undefined {
    const now = this.now();
    this.scheduleTurn();
    if (this.startedThisTurn > 0) this.costMs = (now - this.turnStarted) / this.startedThisTurn;
    if (this.head === this.waiting.length && (this.startedThisTurn === 0 || now - this.turnStarted < this.budgetMs)) {
      if (this.startedThisTurn++ === 0) this.turnStarted = now;
      return undefined;
    }
    return new Promise((start) => this.waiting.push(start));
  }

  /**
   * The turn ends in its check phase, right after the poll phase that accepted a connection and read what
   * arrived. As many waiting requests start then as fit the budget at their recent cost (at least one);
   * they count against the next poll phase's budget.
   */
  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(this.nextTurn);
  }

  private readonly nextTurn = (): void => {
    this.turnScheduled = false;
    const now = this.now();
    if (this.startedThisTurn > 0) this.costMs = (now - this.turnStarted) / this.startedThisTurn;
    const room = this.costMs > 0 ? Math.max(1, Math.floor(this.budgetMs / this.costMs)) : Number.POSITIVE_INFINITY;
    this.startedThisTurn = 0;
    this.turnStarted = now;
    while (this.head < this.waiting.length && this.startedThisTurn < room) {
      this.startedThisTurn++;
      this.waiting[this.head++]();
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    }
    // Until a turn starts nothing, the next one must restart the count.
    if (this.startedThisTurn > 0) this.scheduleTurn();
  };
}
