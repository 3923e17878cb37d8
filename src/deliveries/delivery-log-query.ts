import type { KeysetPosition } from '../common/pagination';
import { DELIVERY_STATUSES, DeliveryStatus } from './delivery.entity';

/** The statuses the delivery logs filter by: a delivery's own, and `failed`. */
export const LOG_STATUSES = [...DELIVERY_STATUSES, 'failed'] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];
/** `failed`: still retrying or given up (`dead`), as teams coming from hand-made webhook code say. */
export const FAILED_STATUSES: readonly DeliveryStatus[] = ['retrying', 'dead'];
/** What POST /deliveries/retry re-queues when its filter names no status. */
export const RETRIED_BY_DEFAULT: readonly DeliveryStatus[] = ['dead', 'cancelled', 'retrying'];
/** Statuses that are on their way already: a retry of them means nothing. */
export const IN_PROGRESS: readonly DeliveryStatus[] = ['queued', 'sending'];

/** The fields of a filter, as the API names them. */
export const FILTER_FIELDS = ['webhook_id', 'status', 'event_type', 'event_id', 'http_status', 'since', 'until', 'q'];

/** A filter of the delivery log as the API takes it (`DeliveryLogFilterDto` validates it). */
export interface DeliveryLogFilterFields {
  webhook_id?: string;
  status?: LogStatus;
  event_type?: string;
  event_id?: string;
  http_status?: number;
  since?: string;
  until?: string;
  q?: string;
}

/** A filter of the delivery log, parsed: every field optional, all combined with AND. */
export interface DeliveryLogFilter {
  webhookId?: string;
  statuses?: readonly DeliveryStatus[];
  /** An exact type, a prefix wildcard (`deal.*`) or `*`. */
  eventType?: string;
  eventId?: string;
  /** The HTTP status of the last attempt. */
  httpStatus?: number;
  since?: Date;
  until?: Date;
  /** Text in the event's data. */
  q?: string;
  /**
   * The tenant's events whose data holds `q`, asked of the events feature (see {@link withSearchDone}):
   * a statement here names the deliveries table only.
   */
  qEventIds?: readonly string[];
}

/**
 * The filter with its text search done: `q` looked up once among the tenant's events, through
 * `idsMatching` (EventsRepository.idsMatching), so that the deliveries' statement takes ids.
 */
export async function withSearchDone(
  tenantId: string,
  filter: DeliveryLogFilter,
  idsMatching: (tenantId: string, q: string) => Promise<string[]>,
): Promise<DeliveryLogFilter> {
  if (filter.q === undefined || filter.qEventIds !== undefined) return filter;
  return { ...filter, qEventIds: await idsMatching(tenantId, filter.q) };
}

/** The delivery statuses a log status stands for. */
export function statusesOf(status: LogStatus | undefined): readonly DeliveryStatus[] | undefined {
  if (status === undefined) return undefined;
  return status === 'failed' ? FAILED_STATUSES : [status];
}

/** A validated filter of the query string or of a bulk retry, parsed. */
export function parseFilter(dto: DeliveryLogFilterFields): DeliveryLogFilter {
  return {
    webhookId: dto.webhook_id,
    statuses: statusesOf(dto.status),
    eventType: dto.event_type,
    eventId: dto.event_id,
    httpStatus: dto.http_status,
    since: dto.since === undefined ? undefined : new Date(dto.since),
    until: dto.until === undefined ? undefined : new Date(dto.until),
    q: dto.q,
  };
}

/** True when a filter names no field at all: it would match the whole log. */
export function isEmptyFilter(dto: DeliveryLogFilterFields): boolean {
  return Object.values(dto).every((value) => value === undefined);
}

/** Numbered parameters of a hand-written statement. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value; answers its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The condition of an event type pattern on deliveries `d`, in byte order (COLLATE "C", as
 * idx_deliveries_tenant_type_log) so that `deal.*` is the range [`deal.`, `deal/`) whatever the
 * database's collation; null for `*`.
 */
export function eventTypeCondition(pattern: string, params: SqlParams): string | null {
  if (pattern === '*') return null;
  const column = 'd.event_type COLLATE "C"';
  if (!pattern.endsWith('.*')) return `${column} = ${params.add(pattern)}`;
  const prefix = pattern.slice(0, -1);
  return `${column} >= ${params.add(prefix)} AND ${column} < ${params.add(`${prefix.slice(0, -1)}/`)}`;
}

/** The conditions of a filter on deliveries `d` of one tenant, status aside (see {@link matchingDeliveriesSql}). */
export function filterConditions(tenantId: string, filter: DeliveryLogFilter, params: SqlParams): string[] {
  const tenant = params.add(tenantId);
  const conditions = [`d.tenant_id = ${tenant}`];
  if (filter.webhookId !== undefined) conditions.push(`d.subscription_id = ${params.add(filter.webhookId)}`);
  const eventType = filter.eventType === undefined ? null : eventTypeCondition(filter.eventType, params);
  if (eventType) conditions.push(eventType);
  if (filter.eventId !== undefined) conditions.push(`d.event_id = ${params.add(filter.eventId)}`);
  if (filter.httpStatus !== undefined) {
    conditions.push(`d.last_http_status = ${params.add(filter.httpStatus)}`);
    // lets the partial idx_deliveries_tenant_http_log serve it, whatever plan the parameters get
    if (filter.httpStatus !== 200) conditions.push('d.last_http_status <> 200');
  }
  if (filter.since) conditions.push(`d.created_at >= ${params.add(filter.since)}`);
  if (filter.until) conditions.push(`d.created_at < ${params.add(filter.until)}`);
  if (filter.q !== undefined) {
    // a search not done yet would match everything: a bug of the caller, not a request to answer
    if (!filter.qEventIds) throw new Error("the filter's q was not looked up in events (see withSearchDone)");
    conditions.push(`d.event_id = ANY(${params.add(filter.qEventIds)}::text[])`);
  }
  return conditions;
}

/** Rows strictly after a keyset position, newest first. */
export function afterCondition(after: KeysetPosition, params: SqlParams): string {
  return `(d.created_at, d.id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)})`;
}

/**
 * A FROM item (`(…) d`) of the first `limit` deliveries matching `conditions`, ordered by
 * (created_at, id). With several statuses it is a UNION ALL of one branch per status: each branch
 * walks (tenant_id, status, created_at, id) in order, where `status IN (…)` would make PostgreSQL
 * walk the whole log when the matching rows are old. `branchConditions` adds conditions to the
 * branch of one status. The caller orders and limits the union again.
 */
export function matchingDeliveriesSql(options: {
  conditions: string[];
  statuses?: readonly DeliveryStatus[];
  branchConditions?: (status: DeliveryStatus) => string[];
  order: 'newest' | 'oldest';
  limit: number;
  params: SqlParams;
}): string {
  const { conditions, statuses, params } = options;
  const orderBy = orderBySql(options.order);
  const limit = options.params.add(options.limit);
  const branch = (extra: string[]): string =>
    `(SELECT d.* FROM deliveries d WHERE ${[...conditions, ...extra].join(' AND ')} ${orderBy} LIMIT ${limit})`;
  if (!statuses) return `${branch([])} d`;
  const branches = statuses.map((status) =>
    branch([`d.status = ${params.add(status)}`, ...(options.branchConditions?.(status) ?? [])]),
  );
  return `(${branches.join(' UNION ALL ')}) d`;
}

/** `ORDER BY` of the log: newest first, or oldest first (bulk retries send in the original order). */
export function orderBySql(order: 'newest' | 'oldest'): string {
  const direction = order === 'newest' ? 'DESC' : 'ASC';
  return `ORDER BY d.created_at ${direction}, d.id ${direction}`;
}
