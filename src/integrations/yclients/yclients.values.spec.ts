import { parseRecordsPage } from './yclients-api.client';
import { reconcileSettings, shiftIso, statusOf } from './yclients.reconciler';
import { instantOf, isoLocalOf, moneyOf, phoneOf, sumMoney, textOf, tidyFloats } from './yclients.values';
import type { Source } from '../../webhooks/source.entity';

describe('YClients values', () => {
  it.each([
    [4000, '4000.00'],
    [1500.0000000001, '1500.00'],
    [33.710000000000001, '33.71'],
    [2262.9499999999998, '2262.95'],
    [1.005, '1.01'],
    [0.1 + 0.2, '0.30'],
    [-12.345, '-12.35'],
    ['1500.0000000001', '1500.00'],
    ['99,5', '99.50'],
    ['7', '7.00'],
    [1e21, '1000000000000000000000.00'],
  ])('money %p → %p', (value, expected) => {
    expect(moneyOf(value)).toBe(expected);
  });

  it.each([null, undefined, '', 'abc', NaN, {}])('money of %p is null', (value) => {
    expect(moneyOf(value)).toBeNull();
  });

  it('sums money exactly', () => {
    expect(sumMoney(['0.10', '0.20', null])).toBe('0.30');
    expect(sumMoney(['-1.50', '1.00'])).toBe('-0.50');
    expect(sumMoney([null])).toBeNull();
  });

  it('phones become + and digits', () => {
    expect(phoneOf('+7 (999) 000-00-01')).toBe('+79990000001');
    expect(phoneOf('79990000001')).toBe('+79990000001');
    expect(phoneOf(79990000001)).toBe('+79990000001');
    expect(phoneOf('')).toBeNull();
    expect(phoneOf(null)).toBeNull();
  });

  it('dates keep the company offset, written with a colon', () => {
    expect(isoLocalOf('2025-07-13T11:49:08+0500')).toBe('2025-07-13T11:49:08+05:00');
    expect(isoLocalOf('2025-07-13T12:10:00+05:00')).toBe('2025-07-13T12:10:00+05:00');
    expect(isoLocalOf('2025-07-13 12:10:00')).toBe('2025-07-13T12:10:00');
    expect(isoLocalOf('2020-01-01T00:00:00Z')).toBe('2020-01-01T00:00:00Z');
    expect(isoLocalOf('yesterday')).toBeNull();
    expect(instantOf('2025-07-13T11:49:08-0330')?.toISOString()).toBe('2025-07-13T15:19:08.000Z');
    expect(instantOf('2025-07-13 12:10:00')).toBeNull();
  });

  it('text is unescaped and trimmed; floats are tidied deep inside objects', () => {
    expect(textOf('  \\u0410\\/b ')).toBe('А/b');
    expect(textOf('')).toBeNull();
    expect(tidyFloats({ a: [1500.0000000001, { b: 33.710000000000001 }], c: 'x', d: 7 })).toEqual({
      a: [1500, { b: 33.71 }],
      c: 'x',
      d: 7,
    });
  });
});

describe('YClients reconciliation helpers', () => {
  it('shifts a watermark and writes it in its own offset', () => {
    expect(shiftIso('2025-07-13T11:49:08+05:00', -60_000)).toBe('2025-07-13T11:48:08+05:00');
    expect(shiftIso('2025-07-13T00:00:30-03:30', -60_000)).toBe('2025-07-12T23:59:30-03:30');
    expect(shiftIso('2025-07-13T06:49:08.123Z', 0)).toBe('2025-07-13T06:49:08+00:00');
  });

  it('a record’s status is create while it never changed, delete once deleted, else update', () => {
    expect(statusOf({ create_date: '2025-07-13T11:49:08+0500', last_change_date: '2025-07-13T11:49:08+05:00' })).toBe(
      'create',
    );
    expect(statusOf({ create_date: '2025-07-13T11:49:08+0500', last_change_date: '2025-07-13T12:00:00+0500' })).toBe(
      'update',
    );
    expect(statusOf({ create_date: '2025-07-13T11:49:08+0500' })).toBe('create');
    expect(statusOf({ deleted: true, last_change_date: '2025-07-13T12:00:00+0500' })).toBe('delete');
  });

  it('reads the settings from the source config', () => {
    const of = (config: Record<string, unknown>) => reconcileSettings({ config } as Source);
    expect(of({ company_id: 1, api_url: 'https://api.example.com/api/v1', partner_token: 'p' })).toEqual({
      access: { apiUrl: 'https://api.example.com/api/v1', partnerToken: 'p', userToken: null, companyId: '1' },
      intervalMs: 300_000,
    });
    expect(
      of({ company_id: '1', api_url: 'u', partner_token: 'p', user_token: 'u1', reconcile_interval_s: 60 })?.intervalMs,
    ).toBe(60_000);
    expect(of({ company_id: 1, api_url: 'u', partner_token: 'p', reconcile_interval_s: 0 })?.intervalMs).toBe(300_000);
    expect(of({ company_id: 1, api_url: 'u' })).toBeNull();
    expect(of({ api_url: 'u', partner_token: 'p' })).toBeNull();
  });

  it('reads a records page and refuses what is not one', () => {
    expect(parseRecordsPage('{"success":true,"data":[{"id":1}],"meta":{"total_count":1}}')).toEqual({
      records: [{ id: 1 }],
      total: 1,
    });
    expect(() => parseRecordsPage('{"success":false,"data":null,"meta":{"message":"Unauthorized"}}')).toThrow(
      /success: false.*Unauthorized/,
    );
    expect(() => parseRecordsPage('<html>')).toThrow(/not JSON/);
    expect(() => parseRecordsPage('{"success":true}')).toThrow(/no data array/);
  });
});
