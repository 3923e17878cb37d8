import { containsPattern } from './event-search';

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
