import {
  exhaustedReason,
  giveBack,
  LEASE_RAN_OUT,
  MAX_RELEASES,
  releaseClaim,
  releasesExhausted,
  takenBackTooOften,
  RELEASE_RETRY_DELAYS_MS,
} from './release-claim';

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

describe('giveBack (the release counting rule)', () => {
  afterEach(() => jest.useRealTimers());

  function logger() {
    const lines: string[] = [];
    return {
      lines,
      warn: (message: string) => void lines.push(`warn: ${message}`),
      error: (message: string) => void lines.push(`error: ${message}`),
    };
  }

  function row(releasesBefore: number, error: unknown = new Error('Connection terminated unexpectedly')) {
    const calls: string[] = [];
    return {
      calls,
      g: {
        what: 'delivery d1',
        releasesBefore,
        error,
        release: async (releases: number) => void calls.push(`release ${releases}`),
        end: async (releases: number, reason: string) => void calls.push(`end ${releases}: ${reason}`),
      },
    };
  }

  it('gives the row back with one more release, logging the error each time', async () => {
    const log = logger();
    for (let before = 0; before < MAX_RELEASES - 1; before += 1) {
      const r = row(before);
      expect(await giveBack(r.g, log)).toBe(false);
      expect(r.calls).toEqual([`release ${before + 1}`]);
    }
    expect(log.lines).toEqual(
      Array.from(
        { length: MAX_RELEASES - 1 },
        (_, i) =>
          `error: delivery d1 given back after an unexpected error (${i + 1} of ${MAX_RELEASES} in a row): Connection terminated unexpectedly`,
      ),
    );
  });

  it(`ends the row at the ${MAX_RELEASES}th give-back in a row, with the last error`, async () => {
    const log = logger();
    const r = row(MAX_RELEASES - 1, new Error('could not serialize access'));
    expect(await giveBack(r.g, log)).toBe(true);
    const reason = `given back ${MAX_RELEASES} times in a row without finishing; last: could not serialize access`;
    expect(r.calls).toEqual([`end ${MAX_RELEASES}: ${reason}`]);
    expect(log.lines).toEqual([`error: delivery d1 ended: ${reason}`]);
  });

  it('makes the error storable and reads errors that are not Error objects', async () => {
    const r = row(MAX_RELEASES - 1, 'bad \u0000 byte \ud800');
    await giveBack(r.g, logger());
    expect(r.calls[0]).toMatch(/last: bad \uFFFD byte \uFFFD$/);
  });

  it('tries the write again while the database is gone, as releaseClaim does', async () => {
    jest.useFakeTimers();
    const log = logger();
    let calls = 0;
    const g = {
      ...row(0).g,
      release: async () => {
        calls += 1;
        if (calls === 1) throw new Error('Connection terminated unexpectedly');
      },
    };
    await giveBack(g, log);
    await jest.advanceTimersByTimeAsync(RELEASE_RETRY_DELAYS_MS[0]);
    expect(calls).toBe(2);
  });

  it('counts a take-back (lease ran out) like a give-back', () => {
    expect(releasesExhausted(MAX_RELEASES - 1)).toBe(false);
    expect(releasesExhausted(MAX_RELEASES)).toBe(true);
    expect(releasesExhausted(MAX_RELEASES + 3)).toBe(true);
    expect(exhaustedReason(MAX_RELEASES, LEASE_RAN_OUT)).toBe(
      `given back ${MAX_RELEASES} times in a row without finishing; last: its lease ran out (the process running it stopped or hung)`,
    );
  });

  it('tells a claim whether the row it took back has run out of give-backs, and why', () => {
    expect(takenBackTooOften(MAX_RELEASES - 1)).toBeNull();
    expect(takenBackTooOften(MAX_RELEASES)).toBe(exhaustedReason(MAX_RELEASES, LEASE_RAN_OUT));
    expect(takenBackTooOften(MAX_RELEASES, 'its worker hung')).toBe(exhaustedReason(MAX_RELEASES, 'its worker hung'));
  });

  it('allows a few give-backs, not one and not many (3 to 5)', () => {
    expect(MAX_RELEASES).toBeGreaterThanOrEqual(3);
    expect(MAX_RELEASES).toBeLessThanOrEqual(5);
  });
});
