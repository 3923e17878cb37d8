import { containsPattern, eventIdsMatchingSql } from './event-search';

describe('containsPattern', () => {
  it.each([
    ['Jane', '%Jane%'],
    ['100%', '%100\\%%'],
    ['lead_id', '%lead\\_id%'],
    ['C:\\path', '%C:\\\\path%'],
    ['"deal_id":42', '%"deal\\_id":42%'],
  ])('%p → %p', (q, pattern) => {
    expect(containsPattern(q)).toBe(pattern);
  });
});

describe('eventIdsMatchingSql', () => {
  it('reads the tenant events whose data text matches, through the indexed expression', () => {
    expect(eventIdsMatchingSql('$1', '$4')).toBe(
      'SELECT e.id FROM events e WHERE e.tenant_id = $1 AND e.data::text ILIKE $4',
    );
  });
});
