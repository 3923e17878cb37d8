/**
 * At most `size` tasks at once; the others wait in the order they asked. A worker's concurrency
 * counts rows in flight, whatever the jobs they came in, so one setting means what it meant when
 * a job held one row.
 */
export class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy += 1;
    try {
      return await task();
    } finally {
      // the slot passes straight to the next waiter, so `busy` never drops below what runs
      const next = this.waiting.shift();
      if (next) next();
      else this.busy -= 1;
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.busy;
  }
}
