import { QueryFailedError } from 'typeorm';
import { QueryRunnerAlreadyReleasedError } from 'typeorm/error/QueryRunnerAlreadyReleasedError';
import { isDatabaseUnavailable, isRefusedValue, isUnstorableValue } from './db-errors';

function failed(code: string, message = 'failed'): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
    ['53300', 'too many connections'],
  ])('is true for SQLSTATE %s (%s)', (code, message) => {
    expect(isDatabaseUnavailable(failed(code, message))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error(message), { code }))).toBe(true);
  });

  it.each([
    'Connection terminated unexpectedly',
    'connect ECONNREFUSED 127.0.0.1:5432',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'write EPIPE',
    'read ECONNRESET',
  ])('is true for a dropped connection without a code: %s', (message) => {
    expect(isDatabaseUnavailable(new Error(message))).toBe(true);
  });

  it.each(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'])(
    'is true for a query that failed with the socket error %s',
    (code) => {
      expect(isDatabaseUnavailable(failed(code, `read ${code}`))).toBe(true);
    },
  );

  it("is true for TypeORM's released query runner (the transaction's connection went away)", () => {
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['42P01', 'relation does not exist'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
  ])('is false for a query error %s', (code, message) => {
    expect(isDatabaseUnavailable(failed(code, message))).toBe(false);
  });

  it('is false for errors that are not about the database', () => {
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });
});

describe('isUnstorableValue', () => {
  it.each(['22021', '22P05', '22P02', '54000'])('is true for SQLSTATE %s', (code) => {
    expect(isUnstorableValue(failed(code))).toBe(true);
  });

  it('is false for other codes and for errors that are not query errors', () => {
    expect(isUnstorableValue(failed('23505'))).toBe(false);
    expect(isUnstorableValue(Object.assign(new Error('x'), { code: '22021' }))).toBe(false);
  });
});

describe('isRefusedValue', () => {
  it.each(['22021', '22P05', '22P02', '22003', '23502', '23514', '54000'])('is true for SQLSTATE %s', (code) => {
    expect(isRefusedValue(failed(code))).toBe(true);
  });

  it.each(['23505', '23503', '40001', '40P01', '08006', '57P01', '55P03'])(
    'is false for SQLSTATE %s (other rows, or the moment)',
    (code) => {
      expect(isRefusedValue(failed(code))).toBe(false);
    },
  );

  it('is false for errors that are not query errors', () => {
    expect(isRefusedValue(Object.assign(new Error('x'), { code: '23514' }))).toBe(false);
    expect(isRefusedValue(new RangeError('Invalid string length'))).toBe(false);
  });
});
