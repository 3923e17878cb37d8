import { QueryFailedError } from 'typeorm';

/** SQLSTATE classes meaning "the database cannot take this now": connection, shutdown, resources. */
const UNAVAILABLE = /^(08|53|57P0[1-3])/;

/** True when an error means PostgreSQL is unreachable or refusing work, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code =
    error instanceof QueryFailedError
      ? (error.driverError as { code?: string }).code
      : (error as { code?: string } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE.test(code)) return true;
  if (error instanceof QueryFailedError) return false;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|Driver not Connected|ECONNRESET/i.test(
    message,
  );
}
