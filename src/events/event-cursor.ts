/**
 * The opaque `cursor` of the keyset-paginated event log: where the next page starts, newest first.
 * Same format as the delivery log's cursor, so that both logs page alike.
 */

/**
 * The position of a keyset page: the `created_at` of the last row answered (ISO-8601 UTC with
 * microseconds, as PostgreSQL keeps it, so that rows of the same millisecond are neither skipped
 * nor repeated) and its id, the tie-break.
 */
export interface LogPosition {
  at: string;
  id: string;
}

/** PostgreSQL's timestamptz precision, as written by {@link positionAtSql}. */
const POSITION_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const POSITION_ID = /^[a-z]+_[0-9a-z]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,400}$/;

/** SQL giving `column` (a timestamptz) as a {@link LogPosition} `at`. */
export function positionAtSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The cursor of the page after `position`: base64url of `<at> <id>`. */
export function encodeCursor(position: LogPosition): string {
  return Buffer.from(`${position.at} ${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for; null when it is not one {@link encodeCursor} made. */
export function decodeCursor(cursor: unknown): LogPosition | null {
  if (typeof cursor !== 'string' || !BASE64URL.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(' ');
  if (rest.length > 0 || !POSITION_AT.test(at ?? '') || !POSITION_ID.test(id ?? '')) return null;
  // a real instant only (no 30 February), which PostgreSQL would refuse
  const parsed = Date.parse(at);
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 23) !== at.slice(0, 23)) return null;
  return { at, id };
}
