import { formatDuration, parseDuration, parseDurationList } from './duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['5d', 432_000_000],
    ['1.5s', 1_500],
    [' 10s ', 10_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 's', '5 s', '5w', '-5s', '0s', 'soon', '5S', '1e3s'])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseDurationList', () => {
  it('reads the default delivery schedule', () => {
    expect(parseDurationList('5s,5m,30m,2h,5h,10h,10h')).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });

  it('allows spaces around items', () => {
    expect(parseDurationList('1s, 2s')).toEqual([1_000, 2_000]);
  });

  it.each(['', '5s,,5m', '5s,later', ','])('refuses %p', (text) => {
    expect(parseDurationList(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [300_000, '5m'],
    [86_400_000, '1d'],
    [1_500, '1500ms'],
    [7_200_000, '2h'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
