import { QueryFailedError } from 'typeorm';

/** SQLSTATE classes meaning "the database cannot take this now": connection, shutdown, resources. */
const UNAVAILABLE = /^(08|53|57P0[1-3])/;

/** A SQLSTATE (five digits or capitals); node's socket error codes are checked before it (EPIPE looks like one). */
const SQLSTATE = /^[0-9A-Z]{5}$/;
const SOCKET_ERRORS = ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'];

/** SQLSTATEs of values PostgreSQL cannot store: NUL in text, invalid Unicode escapes in json(b). */
const UNSTORABLE = /^(22021|22P05|22P02|54000)$/;

/** True when the request carried text PostgreSQL refuses to store (a client error, not ours). */
export function isUnstorableValue(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return typeof code === 'string' && UNSTORABLE.test(code);
}

/**
 * SQLSTATEs of rows PostgreSQL refuses for their values, whatever the moment: data exceptions (22…:
 * NUL in text, invalid json escapes, out of range), NOT NULL and CHECK violations, program limits
 * (54…: a value too large). Unique and foreign-key violations are left out: they depend on other rows.
 */
const REFUSED = /^(22[0-9A-Z]{3}|23502|23514|54[0-9A-Z]{3})$/;

/**
 * True when PostgreSQL refused a write for the values in it: writing the same values again cannot
 * succeed, so the work that made them ends (with the error) instead of being given back.
 */
export function isRefusedValue(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return typeof code === 'string' && REFUSED.test(code);
}

/** True for a foreign-key violation (SQLSTATE 23503): a row referenced something deleted meanwhile. */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503';
}

/** True when an error means PostgreSQL is unreachable or refusing work, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string }).code
      : (error as { code?: string } | null)?.code;
  // a socket error (ECONNRESET, EPIPE, ECONNREFUSED, ETIMEDOUT) also reaches a query as its driverError
  if (typeof code === 'string' && SOCKET_ERRORS.includes(code)) return true;
  if (typeof code === 'string' && SQLSTATE.test(code)) return UNAVAILABLE.test(code);
  // A dropped connection comes without a code: pg's "Connection terminated unexpectedly", a client
  // that is "not queryable" after its connection error, a write to a closed socket (EPIPE), and
  // TypeORM's "Query runner already released" for a transaction whose connection went away.
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|Driver not Connected|ECONNRESET|EPIPE|not queryable|Client was closed|Query runner already released/i.test(
    message,
  );
}
