import { KeysetPosition, keysetAtSql, keysetOf } from '../common/pagination';

/** What GET /api/v1/events asks for, validated. */
export interface EventLogFilter {
  /** An exact type (`deal.won`), a prefix pattern (`deal.*`) or `*`. */
  eventType?: string;
  entityKey?: string;
  sourceId?: string;
  /** Created at or after. */
  since?: Date;
  /** Created before. */
  until?: Date;
  /** Text the event data contains, whatever the case. */
  q?: string;
  limit: number;
  /** Rows after this position (the previous page's last row); the first page when null. */
  after: KeysetPosition | null;
}

/** The query string of GET /api/v1/events, as the DTO's validation left it. */
export interface EventLogQuery {
  event_type?: string;
  entity_key?: string;
  source_id?: string;
  since?: string;
  until?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** The filter a query validated by ListEventsQuery asks for (`since` ≤ `until` and the cursor are checked there). */
export function eventLogFilterOf(query: EventLogQuery): EventLogFilter {
  const { limit, after } = keysetOf(query);
  return {
    eventType: query.event_type,
    entityKey: query.entity_key,
    sourceId: query.source_id,
    since: query.since === undefined ? undefined : new Date(query.since),
    until: query.until === undefined ? undefined : new Date(query.until),
    q: query.q,
    limit,
    after,
  };
}

/** `text` matched literally by LIKE / ILIKE: its `\`, `%` and `_` escaped. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The SQL condition of an event-type pattern: equality, a LIKE prefix, or none for `*`. */
export function eventTypeCondition(pattern: string): { op: '=' | 'LIKE'; value: string } | null {
  if (pattern === '*') return null;
  if (pattern.endsWith('.*')) return { op: 'LIKE', value: `${likeLiteral(pattern.slice(0, -1))}%` };
  return { op: '=', value: pattern };
}

/** The columns of an event log row: the event, and `position_at` for the cursor. */
const LOG_COLUMNS = `e.id, e.event_type, e.data, e.metadata, e.source, e.source_id, e.inbound_event_id,
  e.idempotency_key, e.entity_key, e.trace_id, e.created_at, ${keysetAtSql('e.created_at')} AS position_at`;

/**
 * One page of a tenant's events and the row after it (to tell whether a next page exists), newest
 * first by (created_at, id). Every filter is a condition on an index that keeps this order
 * (migrations/1796300100000-EventLog.ts); `q` reads `data::text`, the expression of the trigram
 * index.
 */
export function eventLogQuery(tenantId: string, filter: EventLogFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [tenantId];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['e.tenant_id = $1'];
  const type = filter.eventType === undefined ? null : eventTypeCondition(filter.eventType);
  if (type) where.push(`e.event_type ${type.op} ${param(type.value)}`);
  if (filter.entityKey !== undefined) where.push(`e.entity_key = ${param(filter.entityKey)}`);
  if (filter.sourceId !== undefined) where.push(`e.source_id = ${param(filter.sourceId)}`);
  if (filter.since) where.push(`e.created_at >= ${param(filter.since)}`);
  if (filter.until) where.push(`e.created_at < ${param(filter.until)}`);
  if (filter.q !== undefined) where.push(`e.data::text ILIKE ${param(`%${likeLiteral(filter.q)}%`)}`);
  if (filter.after) {
    where.push(`(e.created_at, e.id) < (${param(filter.after.at)}::timestamptz, ${param(filter.after.id)})`);
  }
  const sql = `SELECT ${LOG_COLUMNS} FROM events e WHERE ${where.join(' AND ')}
    ORDER BY e.created_at DESC, e.id DESC LIMIT ${param(filter.limit + 1)}`;
  return { sql, params };
}
