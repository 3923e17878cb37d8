import { QueryFailedError } from 'typeorm';

/** SQLSTATE classes meaning "the database cannot take this now": connection, shutdown, resources. */
const UNAVAILABLE = /^(08|53|57P0[1-3])/;

/** SQLSTATEs of values PostgreSQL cannot store: NUL in text, invalid Unicode escapes in json(b). */
const UNSTORABLE = /^(22021|22P05|22P02|54000)$/;

/** True when the request carried text PostgreSQL refuses to store (a client error, not ours). */
export function isUnstorableValue(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return typeof code === 'string' && UNSTORABLE.test(code);
}

/** True when an error means PostgreSQL is unreachable or refusing work, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string }).code
      : (error as { code?: string } | null)?.code;
  if (typeof code === 'string') return UNAVAILABLE.test(code);
  // TypeORM wraps a dropped connection ("Connection terminated unexpectedly") without a code
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|Driver not Connected|ECONNRESET/i.test(
    message,
  );
}
