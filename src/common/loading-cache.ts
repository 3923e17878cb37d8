/**
 * A small in-memory cache of loaded values, each kept for `ttlMs`. A key asked for while it loads
 * shares that load, so a cold or expired key is read once, not once per caller. A change drops the
 * key (or everything) at once, and a load that started before the change does not fill the cache.
 * Past `limit` entries the oldest go first.
 */
export class LoadingCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loads = new Map<string, Promise<V>>();
  /** Bumped by every drop: a load that started before one does not fill the cache. */
  private generation = 0;

  constructor(
    private readonly options: {
      ttlMs: number;
      limit: number;
      /** Whether a loaded value may be kept (e.g. not an unknown id). */
      keep: (value: V) => boolean;
      now?: () => number;
    },
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached && cached.until > this.now()) return Promise.resolve(cached.value);
    const inFlight = this.loads.get(key);
    if (inFlight) return inFlight;
    const loading: Promise<V> = this.fill(key, load).finally(() => {
      if (this.loads.get(key) === loading) this.loads.delete(key);
    });
    this.loads.set(key, loading);
    return loading;
  }

  /** Drops one key, or every key when none is given. */
  drop(key?: string): void {
    this.generation += 1;
    if (key === undefined) {
      this.entries.clear();
      this.loads.clear();
      return;
    }
    this.entries.delete(key);
    this.loads.delete(key);
  }

  private async fill(key: string, load: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && this.options.keep(value)) {
      if (this.entries.size >= this.options.limit && !this.entries.has(key)) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
      this.entries.set(key, { value, until: this.now() + this.options.ttlMs });
    }
    return value;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
