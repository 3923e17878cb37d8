import { staleness } from './entity-state.service';

const at = (iso: string): Date => new Date(iso);

describe('staleness', () => {
  it('treats the first news about an entity as fresh', () => {
    expect(staleness(null, at('2025-01-01T00:00:00Z'), false)).toBeNull();
  });

  it('marks an event older than the newest seen (an update arrived before its create)', () => {
    const state = { lastOccurredAt: at('2025-01-01T10:00:00Z'), deleted: false };
    expect(staleness(state, at('2025-01-01T09:59:59Z'), true)).toBe('older_than_seen');
  });

  it('keeps events of the same second or newer fresh', () => {
    const state = { lastOccurredAt: at('2025-01-01T10:00:00Z'), deleted: false };
    expect(staleness(state, at('2025-01-01T10:00:00Z'), false)).toBeNull();
    expect(staleness(state, at('2025-01-01T10:00:01Z'), false)).toBeNull();
  });

  it('marks anything after a delete, except a restore or re-create', () => {
    const state = { lastOccurredAt: at('2025-01-01T10:00:00Z'), deleted: true };
    expect(staleness(state, at('2025-01-01T11:00:00Z'), false)).toBe('after_delete');
    expect(staleness(state, null, false)).toBe('after_delete');
    expect(staleness(state, at('2025-01-01T11:00:00Z'), true)).toBeNull();
  });

  it('without provider timestamps only the delete rule applies', () => {
    expect(staleness({ lastOccurredAt: null, deleted: false }, null, false)).toBeNull();
    expect(staleness({ lastOccurredAt: at('2025-01-01T10:00:00Z'), deleted: false }, null, false)).toBeNull();
  });
});
