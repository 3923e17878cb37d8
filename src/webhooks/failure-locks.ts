/** The clock minute failed verifications are counted in: its number (unix minutes) and when it ends (ms). */
export interface FailureWindow {
  minute: number;
  endsAt: number;
}

export function failureWindow(nowMs: number): FailureWindow {
  const minute = Math.floor(nowMs / 60_000);
  return { minute, endsAt: (minute + 1) * 60_000 };
}

/** Whole seconds until the window is over (at least 1), for `Retry-After`. */
export function secondsLeft(window: FailureWindow, nowMs: number): number {
  return Math.max(1, Math.ceil((window.endsAt - nowMs) / 1000));
}

/**
 * The sources this process knows to be over their failure limit, each until the end of its minute.
 * Keys are `<route>:<source_id>`. At most `limit` are kept; past it the oldest lock goes first (it
 * ends soonest: every lock lasts to the end of a minute).
 */
export class FailureLocks {
  private readonly until = new Map<string, FailureWindow>();

  constructor(private readonly limit = 10_000) {}

  lock(key: string, window: FailureWindow): void {
    if (this.until.size >= this.limit && !this.until.has(key)) {
      this.until.delete(this.until.keys().next().value as string);
    }
    this.until.set(key, window);
  }

  /** The window a key is locked for, or null when it is not (an ended lock is dropped). */
  lockOf(key: string, nowMs: number): FailureWindow | null {
    const window = this.until.get(key);
    if (!window) return null;
    if (window.endsAt > nowMs) return window;
    this.until.delete(key);
    return null;
  }
}
