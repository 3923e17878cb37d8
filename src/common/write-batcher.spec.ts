import { allOk, Settled, WriteBatcher } from './write-batcher';

/** A write whose batches are recorded and settled by hand. */
function controlledWrite<T>() {
  const calls: { items: T[]; settle: (results: unknown[] | Error) => void }[] = [];
  const write = (items: T[]) =>
    new Promise<Settled<unknown>[]>((resolve, reject) => {
      calls.push({ items, settle: (r) => (r instanceof Error ? reject(r) : resolve(allOk(r))) });
    });
  return { calls, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatcher', () => {
  it('writes the items submitted in one turn together and answers each its own result', async () => {
    const writes: number[][] = [];
    const spying = new WriteBatcher<number, number>(
      async (items) => {
        writes.push(items);
        return allOk(items.map((n) => n * 10));
      },
      { maxItems: 100, maxInFlight: 1 },
    );
    await expect(Promise.all([1, 2, 3].map((n) => spying.submit(n)))).resolves.toEqual([10, 20, 30]);
    expect(writes).toEqual([[1, 2, 3]]);
    await expect(spying.submit(4)).resolves.toBe(40);
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('does not settle a submitter before its batch write has settled', async () => {
    const { calls, write } = controlledWrite<string>();
    const batcher = new WriteBatcher<string, unknown>(write, { maxItems: 10, maxInFlight: 1 });
    let settled = false;
    const answer = batcher.submit('a').then((r) => {
      settled = true;
      return r;
    });
    await tick();
    expect(calls).toHaveLength(1);
    await tick();
    expect(settled).toBe(false);
    calls[0].settle(['done']);
    await expect(answer).resolves.toBe('done');
  });

  it('collects what arrives during a write into the next one, within maxInFlight', async () => {
    const { calls, write } = controlledWrite<number>();
    const batcher = new WriteBatcher<number, unknown>(write, { maxItems: 10, maxInFlight: 1 });
    const first = batcher.submit(1);
    await tick();
    const later = [2, 3, 4].map((n) => batcher.submit(n));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    expect(batcher.waiting).toBe(3);
    calls[0].settle(['r1']);
    await first;
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1].settle(['r2', 'r3', 'r4']);
    await expect(Promise.all(later)).resolves.toEqual(['r2', 'r3', 'r4']);
  });

  it('cuts batches at maxItems and runs up to maxInFlight writes at once', async () => {
    const { calls, write } = controlledWrite<number>();
    const batcher = new WriteBatcher<number, unknown>(write, { maxItems: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[1].settle(['c', 'd']);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
    calls[0].settle(['a', 'b']);
    calls[2].settle(['e']);
    await expect(Promise.all(all)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('gives every item of a failed batch the error, and goes on with the next batch', async () => {
    const { calls, write } = controlledWrite<number>();
    const batcher = new WriteBatcher<number, unknown>(write, { maxItems: 10, maxInFlight: 1 });
    const failed = [1, 2].map((n) => batcher.submit(n));
    await tick();
    const next = batcher.submit(3);
    calls[0].settle(new Error('connection lost'));
    for (const p of failed) await expect(p).rejects.toThrow('connection lost');
    await tick();
    expect(calls[1].items).toEqual([3]);
    calls[1].settle(['ok']);
    await expect(next).resolves.toBe('ok');
  });

  it('fails the whole batch when the write answers the wrong number of results', async () => {
    const batcher = new WriteBatcher<number, number>(async () => allOk([1]), { maxItems: 10, maxInFlight: 1 });
    const answers = [1, 2].map((n) => batcher.submit(n));
    for (const p of answers) await expect(p).rejects.toThrow(/1 results for 2 items/);
  });

  it('refuses nonsense limits', () => {
    expect(() => new WriteBatcher(async () => [], { maxItems: 0, maxInFlight: 1 })).toThrow(RangeError);
    expect(() => new WriteBatcher(async () => [], { maxItems: 1, maxWaitMs: -1 })).toThrow(RangeError);
  });

  describe('with maxWaitMs', () => {
    afterEach(() => jest.useRealTimers());

    it('writes what arrives within the wait as one batch and answers each item its own value or error', async () => {
      jest.useFakeTimers();
      const batches: number[][] = [];
      const batcher = new WriteBatcher<number, number>(
        async (items) => {
          batches.push(items);
          return items.map((n) => (n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: n * 10 }));
        },
        { maxItems: 100, maxWaitMs: 2 },
      );
      const answers = [1, 2, -3].map((n) => batcher.submit(n).then(String, (e: Error) => e.message));
      await jest.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1, 2, -3]]);
      expect(await Promise.all(answers)).toEqual(['10', '20', 'bad -3']);
    });

    it('writes a full batch at once, without waiting', async () => {
      jest.useFakeTimers();
      const batches: number[][] = [];
      const batcher = new WriteBatcher<number, number>(
        async (items) => {
          batches.push(items);
          return allOk(items);
        },
        { maxItems: 3, maxWaitMs: 1000 },
      );
      const answers = [1, 2, 3, 4].map((n) => batcher.submit(n));
      await Promise.resolve();
      expect(batches).toEqual([[1, 2, 3]]);
      await jest.advanceTimersByTimeAsync(1000);
      expect(batches).toEqual([[1, 2, 3], [4]]);
      expect(await Promise.all(answers)).toEqual([1, 2, 3, 4]);
    });

    it('does not hold a batch back while another one is being written (no maxInFlight)', async () => {
      let release: () => void = () => undefined;
      const slow = new Promise<void>((resolve) => (release = resolve));
      let calls = 0;
      const batcher = new WriteBatcher<number, number>(
        async (items) => {
          calls += 1;
          if (calls === 1) await slow;
          return allOk(items);
        },
        { maxItems: 1, maxWaitMs: 1 },
      );
      const first = batcher.submit(1);
      await expect(batcher.submit(2)).resolves.toBe(2);
      release();
      await expect(first).resolves.toBe(1);
    });
  });

  describe('with retryAloneWhen', () => {
    /** A write that refuses any batch holding a negative number, as PostgreSQL refuses a whole INSERT for one bad row. */
    function refusingNegatives(writes: number[][]) {
      return async (items: number[]) => {
        writes.push(items);
        if (items.some((n) => n < 0)) throw Object.assign(new Error('invalid value'), { code: '22021' });
        return allOk(items.map((n) => n * 10));
      };
    }

    it('writes the items of a refused batch alone, so only the bad one fails', async () => {
      const writes: number[][] = [];
      const batcher = new WriteBatcher<number, number>(refusingNegatives(writes), {
        maxItems: 10,
        retryAloneWhen: (error) => (error as { code?: string }).code === '22021',
      });
      const answers = await Promise.allSettled([1, -2, 3].map((n) => batcher.submit(n)));
      expect(answers).toEqual([
        { status: 'fulfilled', value: 10 },
        { status: 'rejected', reason: expect.objectContaining({ message: 'invalid value' }) },
        { status: 'fulfilled', value: 30 },
      ]);
      expect(writes).toEqual([[1, -2, 3], [1], [-2], [3]]);
    });

    it('fails the whole batch when retryAloneWhen refuses the error (a lost connection)', async () => {
      const writes: number[][] = [];
      const batcher = new WriteBatcher<number, number>(refusingNegatives(writes), {
        maxItems: 10,
        retryAloneWhen: () => false,
      });
      const answers = await Promise.allSettled([1, -2].map((n) => batcher.submit(n)));
      expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
      expect(writes).toEqual([[1, -2]]);
    });
  });
});
