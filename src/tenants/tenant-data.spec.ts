import { countsByTenant } from './tenant-data';

describe('countsByTenant', () => {
  it('maps grouped rows to numbers by tenant id (PostgreSQL answers count(*) as text)', () => {
    const counts = countsByTenant([
      { tenant_id: 'ten_a', n: '12' },
      { tenant_id: 'ten_b', n: 3 },
    ]);
    expect(counts.get('ten_a')).toBe(12);
    expect(counts.get('ten_b')).toBe(3);
    expect(counts.get('ten_c')).toBeUndefined();
  });
});
