import { LoadingCache } from './loading-cache';

/** A load that resolves when the test says so. */
function deferred<V>() {
  let resolve!: (value: V) => void;
  const promise = new Promise<V>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LoadingCache', () => {
  let now = 1_000;
  const cache = (keep: (value: string | null) => boolean = (v) => v !== null, limit = 100) =>
    new LoadingCache<string | null>({ ttlMs: 1000, limit, keep, now: () => now });

  beforeEach(() => (now = 1_000));

  it('keeps a loaded value for its time to live, then loads it again', async () => {
    const c = cache();
    const load = jest.fn(async () => 'v1');
    await expect(c.get('a', load)).resolves.toBe('v1');
    now += 999;
    await expect(c.get('a', load)).resolves.toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
    now += 1;
    await c.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load between the callers that ask while it runs', async () => {
    const c = cache();
    const d = deferred<string>();
    const load = jest.fn(() => d.promise);
    const both = Promise.all([c.get('a', load), c.get('a', load)]);
    d.resolve('v');
    await expect(both).resolves.toEqual(['v', 'v']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep what `keep` refuses (an unknown id)', async () => {
    const c = cache();
    const load = jest.fn(async () => null);
    await c.get('a', load);
    await c.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops one key or all of them; a load that started before the drop does not fill the cache', async () => {
    const c = cache();
    await c.get('a', async () => 'old a');
    await c.get('b', async () => 'old b');
    c.drop('a');
    await expect(c.get('a', async () => 'new a')).resolves.toBe('new a');
    await expect(c.get('b', async () => 'new b')).resolves.toBe('old b');

    const d = deferred<string>();
    const stale = c.get('c', () => d.promise);
    c.drop();
    d.resolve('stale c');
    await expect(stale).resolves.toBe('stale c');
    await expect(c.get('c', async () => 'fresh c')).resolves.toBe('fresh c');
    await expect(c.get('b', async () => 'newest b')).resolves.toBe('newest b');
  });

  it('lets the oldest entry go past its limit', async () => {
    const c = cache(() => true, 2);
    await c.get('a', async () => 'a');
    await c.get('b', async () => 'b');
    await c.get('c', async () => 'c');
    await expect(c.get('a', async () => 'a again')).resolves.toBe('a again');
    await expect(c.get('c', async () => 'c again')).resolves.toBe('c');
  });
});
