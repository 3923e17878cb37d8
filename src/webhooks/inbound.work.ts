import { retryPolicy } from '../work/retry-policy';
import type { WorkKind } from '../work/work-kind';
import { sweepInbound } from './webhooks.repository';
import type { InboundStatus } from './inbound-event.entity';

/*
 * Inbound-event processing runs as leased work (src/work). The statements the machine runs on the
 * inbound_events table (the sweep, and the give-back the processor runs) are in webhooks.repository.ts.
 */

/** The Bull queue of processing runs and the name of its jobs; a job carries inbound event ids only. */
export const INBOUND_QUEUE = 'inbound';
export const PROCESS_JOB = 'process';

/** Processing runs: INBOUND_CONCURRENCY at once per worker, a 30 s lease. */
export const INBOUND_WORK: WorkKind = {
  name: 'inbound',
  queue: INBOUND_QUEUE,
  job: PROCESS_JOB,
  legacyIdField: 'inboundEventId',
  concurrency: (config) => config.inboundConcurrency,
  leaseMs: 30_000,
  retryPolicy: (config) => retryPolicy('inbound', config),
  // for `hookhub_queue_depth{kind="inbound"}` (docs/observability.md): rows pending or retrying, due at
  // `next_retry_at` (the partial index idx_inbound_events_due covers them)
  backlog: {
    kind: 'inbound',
    table: 'inbound_events',
    dueColumn: 'next_retry_at',
    waiting: ['pending', 'retrying'] satisfies InboundStatus[],
  },
  sweep: sweepInbound,
};
