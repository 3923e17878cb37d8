export interface WriteBatcherOptions {
  /** Most items in one write. */
  maxItems: number;
  /** Most writes under way at once; items arriving meanwhile wait for the next one. */
  maxInFlight: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Write-behind group commit: items submitted while a write is under way (or within the same turn of
 * the event loop) go together into the next `write`, which gets them in submission order and answers
 * one result per item, in the same order. Each submitter's promise settles only when its batch's
 * write has settled: with its own result once the write is durable, or with the write's error (every
 * item of a failed batch gets it), so nothing is taken as done before it is written.
 */
export class WriteBatcher<T, R> {
  private queue: Waiting<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: WriteBatcherOptions,
  ) {
    if (options.maxItems < 1 || options.maxInFlight < 1) throw new RangeError('maxItems and maxInFlight must be ≥ 1');
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
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Starts writes while there are items and room for another write. */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxItems);
      this.inFlight += 1;
      void this.run(batch);
    }
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch write answered ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }
}
