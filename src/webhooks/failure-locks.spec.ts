import { failureWindow, FailureLocks, secondsLeft } from './failure-locks';

describe('failure windows', () => {
  it('are clock minutes', () => {
    const at = Date.UTC(2026, 11, 3, 10, 9, 19, 500);
    expect(failureWindow(at)).toEqual({
      minute: Math.floor(at / 60_000),
      endsAt: Date.UTC(2026, 11, 3, 10, 10, 0, 0),
    });
    expect(failureWindow(Date.UTC(2026, 11, 3, 10, 10, 0, 0)).minute).toBe(failureWindow(at).minute + 1);
  });

  it('give Retry-After in whole seconds until the minute is over, at least 1', () => {
    const start = Date.UTC(2026, 11, 3, 10, 9, 0, 0);
    const window = failureWindow(start);
    expect(secondsLeft(window, start)).toBe(60);
    expect(secondsLeft(window, start + 40_200)).toBe(20);
    expect(secondsLeft(window, start + 59_999)).toBe(1);
    expect(secondsLeft(window, start + 60_000)).toBe(1);
  });
});

describe('FailureLocks', () => {
  const start = Date.UTC(2026, 11, 3, 10, 9, 30, 0);

  it('holds a lock until the end of its minute, then forgets it', () => {
    const locks = new FailureLocks();
    const window = failureWindow(start);
    expect(locks.lockOf('source:src_a', start)).toBeNull();
    locks.lock('source:src_a', window);
    expect(locks.lockOf('source:src_a', start + 29_999)).toEqual(window);
    expect(locks.lockOf('shared:src_a', start)).toBeNull();
    expect(locks.lockOf('source:src_a', start + 30_000)).toBeNull();
    expect(locks.lockOf('source:src_a', start)).toBeNull();
  });

  it('keeps at most `limit` locks, dropping the oldest', () => {
    const locks = new FailureLocks(2);
    const window = failureWindow(start);
    locks.lock('a', window);
    locks.lock('b', window);
    locks.lock('c', window);
    expect(['a', 'b', 'c'].map((key) => locks.lockOf(key, start) !== null)).toEqual([false, true, true]);
  });
});
