import {
  applyDelta,
  AttemptStatsOutcome,
  combineDeltas,
  outcomeDelta,
  StatsAccumulator,
  StatsDelta,
  StatsRow,
} from './subscription-stats';

const EMPTY: StatsRow = {
  deliveriesCount: 0,
  failuresCount: 0,
  successesCount: 0,
  consecutiveDead: 0,
  failingSince: null,
  lastDeliveryAt: null,
  lastDeliveryStatus: null,
  lastHttpStatus: null,
};

const OK: AttemptStatsOutcome = { ok: true, dead: false, status: 'success', httpStatus: 200 };
const RETRYING: AttemptStatsOutcome = { ok: false, dead: false, status: 'retrying', httpStatus: 500 };
const DEAD: AttemptStatsOutcome = { ok: false, dead: true, status: 'dead', httpStatus: 503 };

const at = (ms: number): Date => new Date(Date.UTC(2026, 0, 1) + ms);

/** A small deterministic PRNG, so a failing sequence can be reproduced. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('subscription stats deltas', () => {
  it('applies one outcome the way the per-attempt UPDATE did', () => {
    const failed = applyDelta(EMPTY, outcomeDelta(RETRYING, at(1)));
    expect(failed).toEqual({
      deliveriesCount: 1,
      failuresCount: 1,
      successesCount: 0,
      consecutiveDead: 0,
      failingSince: at(1),
      lastDeliveryAt: at(1),
      lastDeliveryStatus: 'retrying',
      lastHttpStatus: 500,
    });
    const dead = applyDelta(failed, outcomeDelta(DEAD, at(2)));
    expect(dead).toMatchObject({ deliveriesCount: 2, failuresCount: 2, consecutiveDead: 1, failingSince: at(1) });
    const ok = applyDelta(dead, outcomeDelta(OK, at(3)));
    expect(ok).toEqual({
      deliveriesCount: 3,
      failuresCount: 2,
      successesCount: 1,
      consecutiveDead: 0,
      failingSince: null,
      lastDeliveryAt: at(3),
      lastDeliveryStatus: 'success',
      lastHttpStatus: 200,
    });
  });

  it('keeps the streak order-dependent: fail then success resets, success then fail starts a streak', () => {
    const failThenOk = combineDeltas(outcomeDelta(DEAD, at(1)), outcomeDelta(OK, at(2)));
    expect(applyDelta({ ...EMPTY, consecutiveDead: 4, failingSince: at(0) }, failThenOk)).toMatchObject({
      consecutiveDead: 0,
      failingSince: null,
    });
    const okThenFail = combineDeltas(outcomeDelta(OK, at(1)), outcomeDelta(DEAD, at(2)));
    expect(applyDelta({ ...EMPTY, consecutiveDead: 4, failingSince: at(0) }, okThenFail)).toMatchObject({
      consecutiveDead: 1,
      failingSince: at(2),
    });
  });

  it('adds dead deliveries to a running streak and keeps its start', () => {
    const twoDead = combineDeltas(outcomeDelta(DEAD, at(5)), outcomeDelta(DEAD, at(6)));
    expect(applyDelta({ ...EMPTY, consecutiveDead: 3, failingSince: at(0) }, twoDead)).toMatchObject({
      consecutiveDead: 5,
      failingSince: at(0),
    });
  });

  it('keeps the newer last delivery when an older change is written late', () => {
    const row = applyDelta(EMPTY, outcomeDelta(OK, at(10)));
    const late = applyDelta(row, outcomeDelta(RETRYING, at(5)));
    expect(late).toMatchObject({ lastDeliveryAt: at(10), lastDeliveryStatus: 'success', lastHttpStatus: 200 });
    expect(late.deliveriesCount).toBe(2);
  });

  it('gives the same row for any grouping of a sequence of outcomes (200 random sequences)', () => {
    const random = prng(42);
    const kinds = [OK, RETRYING, DEAD];
    for (let run = 0; run < 200; run += 1) {
      const length = 1 + Math.floor(random() * 12);
      const deltas = Array.from({ length }, (_, i) => outcomeDelta(kinds[Math.floor(random() * 3)], at(i * 10)));
      const start: StatsRow =
        random() < 0.5 ? EMPTY : { ...EMPTY, deliveriesCount: 7, consecutiveDead: 2, failingSince: at(-100) };
      const oneByOne = deltas.reduce(applyDelta, start);
      const cut = Math.floor(random() * length);
      const fold = (ds: StatsDelta[]): StatsDelta[] => (ds.length === 0 ? [] : [ds.reduce(combineDeltas)]);
      const grouped = [...fold(deltas.slice(0, cut)), ...fold(deltas.slice(cut))].reduce(applyDelta, start);
      expect(grouped).toEqual(oneByOne);
    }
  });
});

describe('StatsAccumulator', () => {
  it('adds changes per subscription and hands them out once', () => {
    const acc = new StatsAccumulator();
    acc.add('wh_a', outcomeDelta(OK, at(1)));
    acc.add('wh_a', outcomeDelta(RETRYING, at(2)));
    acc.add('wh_b', outcomeDelta(OK, at(3)));
    expect(acc.size).toBe(2);
    expect(acc.hasFailure('wh_a')).toBe(true);
    expect(acc.hasFailure('wh_b')).toBe(false);
    const a = acc.take('wh_a')!;
    expect(a).toMatchObject({ attempts: 2, successes: 1, failures: 1, reset: true, failingSince: at(2) });
    expect(acc.take('wh_a')).toBeUndefined();
    const all = acc.takeAll();
    expect([...all.keys()]).toEqual(['wh_b']);
    expect(acc.size).toBe(0);
  });

  it('puts back a change that could not be written before the changes added since', () => {
    const acc = new StatsAccumulator();
    acc.add('wh_a', outcomeDelta(DEAD, at(1)));
    const taken = acc.take('wh_a')!;
    acc.add('wh_a', outcomeDelta(OK, at(2)));
    acc.putBack('wh_a', taken);
    const row = applyDelta({ ...EMPTY }, acc.take('wh_a')!);
    // the success came after the dead delivery: no streak is left
    expect(row).toMatchObject({
      deliveriesCount: 2,
      consecutiveDead: 0,
      failingSince: null,
      lastDeliveryStatus: 'success',
    });
  });

  it('does not report a failure once a later success has reset the streak', () => {
    const acc = new StatsAccumulator();
    acc.add('wh_a', outcomeDelta(DEAD, at(1)));
    acc.add('wh_a', outcomeDelta(OK, at(2)));
    expect(acc.hasFailure('wh_a')).toBe(false);
  });
});
