import { releaseClaim, RELEASE_RETRY_DELAYS_MS } from './release-claim';

describe('releaseClaim', () => {
  afterEach(() => jest.useRealTimers());

  function logger() {
    const warnings: string[] = [];
    return { warnings, warn: (message: string) => void warnings.push(message) };
  }

  it('releases once when the first try works', async () => {
    const log = logger();
    const release = jest.fn().mockResolvedValue(undefined);
    await releaseClaim(release, 'delivery d1', log);
    expect(release).toHaveBeenCalledTimes(1);
    expect(log.warnings).toEqual([]);
  });

  it('tries again in the background after 1, 2 and 4 s while the database is gone, and stops at the first success', async () => {
    jest.useFakeTimers();
    const log = logger();
    let calls = 0;
    const release = jest.fn(async () => {
      calls += 1;
      if (calls < 3) throw new Error('Connection terminated unexpectedly');
    });
    await releaseClaim(release, 'inbound event i1', log);
    expect(release).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(release).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(release).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(release).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(release).toHaveBeenCalledTimes(3);
    expect(log.warnings).toEqual([]);
  });

  it('leaves the row to its lease, with one warning, when every try fails', async () => {
    jest.useFakeTimers();
    const log = logger();
    const release = jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    await releaseClaim(release, 'delivery d2', log);
    await jest.advanceTimersByTimeAsync(RELEASE_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
    expect(release).toHaveBeenCalledTimes(1 + RELEASE_RETRY_DELAYS_MS.length);
    expect(log.warnings).toEqual([
      'delivery d2 stays claimed until its lease ends: connect ECONNREFUSED 127.0.0.1:5432',
    ]);
  });

  it('keeps every retry within the shortest lease (30 s), so a late try cannot release a newer claim', () => {
    expect(RELEASE_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeLessThan(30_000);
  });
});
