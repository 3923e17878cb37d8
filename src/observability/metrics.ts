import { Counter, Gauge, Histogram, Metric, register } from 'prom-client';
import type { BacklogReading } from './backlog';
import {
  DELIVERY_OUTCOMES,
  INBOUND_OUTCOMES,
  IngestOutcome,
  nameLabel,
  notificationOutcomeOf,
  oneOfLabel,
  StatusClass,
} from './outcomes';

/**
 * Hookhub's own Prometheus series (docs/observability.md), beside Node's process series
 * (`collectDefaultMetrics`, src/health/health.module.ts). Every label value comes from a short fixed
 * list (outcomes.ts): no id, URL or message is ever a label.
 */

/** One registry per process: several applications in one (test) process share each series. */
function metric<M extends Metric>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

const ingestRequests = metric(
  'hookhub_ingest_requests_total',
  () =>
    new Counter({
      name: 'hookhub_ingest_requests_total',
      help:
        'Ingest requests answered, by the provider of the source (unknown when no source was found) and the ' +
        'outcome: accepted, duplicate, unauthorized, rate_limited, invalid, not_found, forbidden, unavailable, error',
      labelNames: ['provider', 'outcome'],
    }),
);

const inboundProcessing = metric(
  'hookhub_inbound_processing_duration_seconds',
  () =>
    new Histogram({
      name: 'hookhub_inbound_processing_duration_seconds',
      help:
        'Processing runs of inbound events (claim, normalise, publish, record), by provider and outcome: ' +
        'completed, retrying, failed',
      labelNames: ['provider', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
);

const deliveryAttempts = metric(
  'hookhub_delivery_attempts_total',
  () =>
    new Counter({
      name: 'hookhub_delivery_attempts_total',
      help:
        'Delivery attempts (each delivery of a batch counts), by outcome (the delivery after it: success, ' +
        'retrying, dead) and status_class (1xx-5xx, timeout, network, refused, unsent)',
      labelNames: ['outcome', 'status_class'],
    }),
);

const deliveryLatency = metric(
  'hookhub_delivery_latency_seconds',
  () =>
    new Histogram({
      name: 'hookhub_delivery_latency_seconds',
      help: 'Time from the creation of an event to the successful delivery of it to one subscription, retries included',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400],
    }),
);

const notifications = metric(
  'hookhub_notifications_total',
  () =>
    new Counter({
      name: 'hookhub_notifications_total',
      help: 'Notification sends, by channel (telegram, slack, whatsapp) and outcome: sent, retrying, skipped, failed',
      labelNames: ['channel', 'outcome'],
    }),
);

/** Counts one ingest request. */
export function countIngest(provider: unknown, outcome: IngestOutcome): void {
  ingestRequests.inc({ provider: typeof provider === 'string' ? nameLabel(provider) : 'unknown', outcome });
}

/** Records one processing run that ended with the inbound event `status` after `seconds`. */
export function observeInboundRun(provider: unknown, status: unknown, seconds: number): void {
  inboundProcessing.observe({ provider: nameLabel(provider), outcome: oneOfLabel(status, INBOUND_OUTCOMES) }, seconds);
}

/** Records one delivery's attempt; a success also records its latency from the event's creation. */
export function countDeliveryAttempt(status: unknown, statusClass: StatusClass, eventCreatedAt: Date | null): void {
  const outcome = oneOfLabel(status, DELIVERY_OUTCOMES);
  deliveryAttempts.inc({ outcome, status_class: statusClass });
  if (outcome === 'success' && eventCreatedAt) {
    deliveryLatency.observe(Math.max(0, (Date.now() - eventCreatedAt.getTime()) / 1000));
  }
}

/** Counts one notification send that left the notification in `status`. */
export function countNotification(channel: unknown, status: unknown): void {
  notifications.inc({ channel: nameLabel(channel), outcome: notificationOutcomeOf(status) });
}

/** A database pool's figures (pg's Pool). */
export interface PoolReading {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** What the scrape-time series read, one per running application of this process. */
export interface ScrapeSource {
  pool(): PoolReading | null;
  backlog(): Promise<BacklogReading[]>;
}

const sources = new Set<ScrapeSource>();

/** Adds an application's pool and backlog to the scrape-time series; returns the function that takes them out. */
export function addScrapeSource(source: ScrapeSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

function pools(): PoolReading[] {
  return [...sources].map((s) => s.pool()).filter((p): p is PoolReading => p !== null);
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

metric(
  'hookhub_db_pool_connections',
  () =>
    new Gauge({
      name: 'hookhub_db_pool_connections',
      help: 'PostgreSQL connections of this process, by state: busy (running a query or transaction) or idle',
      labelNames: ['state'],
      collect() {
        const all = pools();
        this.set({ state: 'busy' }, sum(all.map((p) => p.total - p.idle)));
        this.set({ state: 'idle' }, sum(all.map((p) => p.idle)));
      },
    }),
);

metric(
  'hookhub_db_pool_waiting_clients',
  () =>
    new Gauge({
      name: 'hookhub_db_pool_waiting_clients',
      help: 'Queries of this process waiting for a free PostgreSQL connection',
      collect() {
        this.set(sum(pools().map((p) => p.waiting)));
      },
    }),
);

metric(
  'hookhub_db_pool_max_connections',
  () =>
    new Gauge({
      name: 'hookhub_db_pool_max_connections',
      help: 'Largest number of PostgreSQL connections this process opens',
      collect() {
        this.set(sum(pools().map((p) => p.max)));
      },
    }),
);

/** The newest application's backlog (all applications of a process share one database). */
async function backlog(): Promise<BacklogReading[]> {
  const newest = [...sources].pop();
  return newest ? newest.backlog() : [];
}

metric(
  'hookhub_queue_depth',
  () =>
    new Gauge({
      name: 'hookhub_queue_depth',
      help:
        'Work in PostgreSQL not yet done, by kind (deliveries, inbound, notifications) and state: due (waiting ' +
        'for a worker now) or scheduled (a retry or a later attempt); counted up to 100000 each',
      labelNames: ['kind', 'state'],
      async collect() {
        this.reset();
        for (const b of await backlog()) {
          this.set({ kind: b.kind, state: 'due' }, b.due);
          this.set({ kind: b.kind, state: 'scheduled' }, b.scheduled);
        }
      },
    }),
);

metric(
  'hookhub_queue_oldest_age_seconds',
  () =>
    new Gauge({
      name: 'hookhub_queue_oldest_age_seconds',
      help: 'How long the longest-waiting due work of each kind has been due (0 when nothing is due)',
      labelNames: ['kind'],
      async collect() {
        this.reset();
        for (const b of await backlog()) this.set({ kind: b.kind }, b.oldestDueSeconds);
      },
    }),
);

const buildInfo = metric(
  'hookhub_build_info',
  () =>
    new Gauge({
      name: 'hookhub_build_info',
      help: 'Always 1: the Hookhub version and role (api, worker, all) of this process',
      labelNames: ['version', 'role'],
    }),
);

/** Sets `hookhub_build_info` for this process. */
export function setBuildInfo(version: string, role: string): void {
  buildInfo.set({ version, role }, 1);
}
