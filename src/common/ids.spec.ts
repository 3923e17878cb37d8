import { decodeTime } from 'ulid';
import { ID_PREFIXES, IdKind, isId, newId, pooledRandom } from './ids';

describe('newId', () => {
  it('is the type prefix, an underscore and a lower-case ULID of now', () => {
    for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
      const before = Date.now();
      const id = newId(kind);
      expect(id).toMatch(new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`));
      expect(isId(kind, id)).toBe(true);
      const time = decodeTime(id.slice(ID_PREFIXES[kind].length + 1).toUpperCase());
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(Date.now());
    }
  });

  it('sorts in the order the ids were made, within a millisecond too, whatever their kind', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => newId(i % 2 ? 'event' : 'inboundEvent').split('_')[1]);
    const outOfOrder = ids.filter((id, i) => i > 0 && id <= ids[i - 1]);
    expect(outOfOrder).toEqual([]);
    // many were made in the same millisecond: their time parts are equal, the random parts increase
    const times = new Set(ids.map((id) => id.slice(0, 10)));
    expect(times.size).toBeLessThan(ids.length);
  });

  it('never repeats', () => {
    const ids = new Set(Array.from({ length: 50_000 }, () => newId('delivery')));
    expect(ids.size).toBe(50_000);
  });

  it('draws fresh random bits in each new millisecond', async () => {
    const first = newId('event').slice(-16);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newId('event').slice(-16);
    // an increment changes the last characters only; new random bits differ almost surely in the first 10
    expect(second.slice(0, 10)).not.toBe(first.slice(0, 10));
  });
});

describe('pooledRandom', () => {
  it('gives fractions in [0, 1) that fill all of ulid`s 32 buckets evenly, past several pool refills', () => {
    const buckets = new Array<number>(32).fill(0);
    const draws = 32 * 4096;
    let outside = 0;
    for (let i = 0; i < draws; i += 1) {
      const value = pooledRandom();
      if (!(value >= 0 && value < 1)) outside += 1;
      else buckets[Math.floor(value * 32)] += 1;
    }
    expect(outside).toBe(0);
    // 4,096 expected per bucket; a fair source stays well within ±10 %
    for (const count of buckets) expect(Math.abs(count - 4096)).toBeLessThan(410);
  });
});
