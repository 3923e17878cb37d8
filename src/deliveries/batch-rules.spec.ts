import { batchDue, batchEventType, batchOptionsOf, lookAgainAt } from './batch-rules';

const OPTIONS = { maxEvents: 10, maxWaitMs: 5_000 };
const NOW = new Date('2025-01-09T12:00:10.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('batchOptionsOf', () => {
  it('reads both settings, or none', () => {
    expect(batchOptionsOf({ batchMaxEvents: 10, batchMaxWaitMs: 5000 })).toEqual(OPTIONS);
    expect(batchOptionsOf({ batchMaxEvents: null, batchMaxWaitMs: null })).toBeNull();
    expect(batchOptionsOf({ batchMaxEvents: 10, batchMaxWaitMs: null })).toBeNull();
  });
});

describe('batchDue (when a batch leaves)', () => {
  it('leaves as soon as max_events deliveries wait, however young', () => {
    expect(batchDue({ count: 10, oldestAt: ago(0) }, OPTIONS, NOW)).toBe(true);
  });

  it('waits while fewer than max_events wait and the oldest is younger than max_wait_ms', () => {
    expect(batchDue({ count: 9, oldestAt: ago(4_999) }, OPTIONS, NOW)).toBe(false);
  });

  it('leaves with what it has once the oldest has waited max_wait_ms, even one event alone', () => {
    expect(batchDue({ count: 1, oldestAt: ago(5_000) }, OPTIONS, NOW)).toBe(true);
    expect(batchDue({ count: 3, oldestAt: ago(60_000) }, OPTIONS, NOW)).toBe(true);
  });

  it('has nothing to send when nothing waits', () => {
    expect(batchDue({ count: 0, oldestAt: null }, OPTIONS, NOW)).toBe(false);
  });

  it('sends every event alone with max_events 1', () => {
    expect(batchDue({ count: 1, oldestAt: ago(0) }, { maxEvents: 1, maxWaitMs: 60_000 }, NOW)).toBe(true);
  });
});

describe('lookAgainAt (a waiting delivery left out of a batch)', () => {
  it('looks again when it will have waited max_wait_ms', () => {
    expect(lookAgainAt(ago(1_000), OPTIONS, NOW, 250)).toEqual(new Date(NOW.getTime() + 4_000));
  });

  it('looks again soon, not at once, when it has waited long enough already (held back by order, or a full batch)', () => {
    expect(lookAgainAt(ago(30_000), OPTIONS, NOW, 250)).toEqual(new Date(NOW.getTime() + 250));
  });
});

describe('batchEventType (X-Webhook-Event of a batch)', () => {
  it('is the type every event of the batch shares', () => {
    expect(batchEventType(['deal.won', 'deal.won'])).toBe('deal.won');
  });

  it('is mixed when the types differ', () => {
    expect(batchEventType(['deal.won', 'lead.created', 'deal.won'])).toBe('mixed');
  });
});
