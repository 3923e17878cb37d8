import { groupBySweepSuffix, sweepJobSuffix } from './work-sweeper';

describe('sweepJobSuffix', () => {
  const lostAfter = 15_000;

  it('keeps the deterministic id while a row may just wait behind a backlog', () => {
    expect(sweepJobSuffix(2_500, lostAfter, 1_000_000)).toBeUndefined();
    expect(sweepJobSuffix(lostAfter, lostAfter, 1_000_000)).toBeUndefined();
  });

  it('gives a row overdue past lostAfterMs one new id per window', () => {
    const now = 1_795_000_000_000;
    const first = sweepJobSuffix(lostAfter + 1, lostAfter, now);
    expect(first).toBe(`sweep${Math.floor(now / lostAfter)}`);
    // the same id for every sweep within the window, so one extra job at most
    expect(sweepJobSuffix(60_000, lostAfter, now + 1)).toBe(first);
    // a new one in the next window, in case that job was lost too
    expect(sweepJobSuffix(60_000, lostAfter, now + lostAfter)).not.toBe(first);
  });
});

describe('groupBySweepSuffix', () => {
  it('splits rows into the recently overdue and the lost, keeping their order', () => {
    const now = 1_795_000_000_000;
    const rows = [
      { id: 'a', overdue_ms: '40000.5' },
      { id: 'b', overdue_ms: 3000 },
      { id: 'c', overdue_ms: 16000 },
      { id: 'd', overdue_ms: '2100' },
    ];
    const groups = groupBySweepSuffix(rows, 15_000, now);
    expect(groups).toEqual([
      { suffix: `sweep${Math.floor(now / 15_000)}`, rows: [rows[0], rows[2]] },
      { suffix: undefined, rows: [rows[1], rows[3]] },
    ]);
  });

  it('answers no group for no rows', () => {
    expect(groupBySweepSuffix([], 15_000)).toEqual([]);
  });
});
