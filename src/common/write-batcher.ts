/** The outcome of one item of a batch write: its own value or its own error. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Every value of a write that answers plain values, as successes. */
export function allOk<R>(values: R[]): Settled<R>[] {
  return values.map((value) => ({ ok: true, value }));
}

export interface WriteBatcherOptions {
  /** Most items in one write; a full batch is written at once. */
  maxItems: number;
  /** Most writes under way at once (default: no limit); items arriving meanwhile wait for the next one. */
  maxInFlight?: number;
  /**
   * How long the first item of a batch waits for others, in ms. 0 (the default): the items
   * submitted in the same turn of the event loop, or while every write slot is busy.
   */
  maxWaitMs?: number;
  /**
   * When a write of several items fails with an error this accepts (a value PostgreSQL refuses,
   * say, but not a lost connection), each item is written again alone, so that one bad item fails
   * alone and its batch-mates go through.
   */
  retryAloneWhen?: (error: unknown) => boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for writes: items submitted close together go into one `write`, which gets them in
 * submission order and answers one Settled per item, in the same order. Each submitter's promise
 * settles only when its batch's write has settled: with its own value once the write is durable,
 * with its own error, or with the write's error (every item of a failed batch gets it), so nothing
 * is taken as done before it is written.
 */
export class WriteBatcher<T, R> {
  private queue: Waiting<T, R>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private readonly maxInFlight: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly write: (items: T[]) => Promise<Settled<R>[]>,
    private readonly options: WriteBatcherOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? Infinity;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    if (options.maxItems < 1 || this.maxInFlight < 1 || this.maxWaitMs < 0) {
      throw new RangeError('maxItems and maxInFlight must be ≥ 1, maxWaitMs ≥ 0');
    }
  }

  /** Items waiting for a write. */
  get waiting(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxItems) this.pump();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.maxWaitMs > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.pump();
      }, this.maxWaitMs);
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Starts writes while there are items and a free write slot. */
  private pump(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxItems);
      this.inFlight += 1;
      void this.run(batch);
    }
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.settle(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const result = results[i];
        if (result.ok) w.resolve(result.value);
        else w.reject(result.error);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }

  /** The batch's results; a failed batch is written again item by item when retryAloneWhen accepts its error. */
  private async settle(items: T[]): Promise<Settled<R>[]> {
    try {
      return await this.checked(items);
    } catch (error) {
      if (items.length === 1 || !this.options.retryAloneWhen?.(error)) throw error;
      const results: Settled<R>[] = [];
      for (const item of items) {
        results.push(
          await this.checked([item]).then(
            ([result]) => result,
            (itemError: unknown): Settled<R> => ({ ok: false, error: itemError }),
          ),
        );
      }
      return results;
    }
  }

  private async checked(items: T[]): Promise<Settled<R>[]> {
    const results = await this.write(items);
    if (results.length !== items.length) {
      throw new Error(`a batch write answered ${results.length} results for ${items.length} items`);
    }
    return results;
  }
}
