import { retryPolicy } from '../work/retry-policy';
import type { WorkKind } from '../work/work-kind';
import { sweepDeliveries } from './deliveries.repository';
import type { DeliveryStatus } from './delivery.entity';

/*
 * The deliveries as leased work (src/work). The statements the machine runs on the deliveries table
 * (the sweep, and the give-backs the dispatcher runs) are DeliveriesRepository's (deliveries.repository.ts).
 */

/** The Bull queue of delivery attempts and the name of its jobs; a job carries delivery ids only. */
export const DELIVERY_QUEUE = 'deliveries';
export const DELIVER_JOB = 'deliver';

/** Delivery attempts: DELIVERY_CONCURRENCY attempts in flight per worker, a 90 s lease (longest timeout plus margin). */
export const DELIVERY_WORK: WorkKind = {
  name: 'deliveries',
  queue: DELIVERY_QUEUE,
  job: DELIVER_JOB,
  legacyIdField: 'deliveryId',
  concurrency: (config) => config.deliveryConcurrency,
  leaseMs: 90_000,
  retryPolicy: (config) => retryPolicy('deliveries', config),
  // for `hookhub_queue_depth{kind="deliveries"}` (docs/observability.md): rows queued or retrying, due
  // at `next_attempt_at` (the partial index idx_deliveries_due covers them)
  backlog: {
    kind: 'deliveries',
    table: 'deliveries',
    dueColumn: 'next_attempt_at',
    waiting: ['queued', 'retrying'] satisfies DeliveryStatus[],
  },
  sweep: sweepDeliveries,
};
