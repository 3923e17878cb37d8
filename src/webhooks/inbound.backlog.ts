import { InboundStatus } from './inbound-event.entity';

/**
 * Where inbound events wait for processing, for `hookhub_queue_depth{kind="inbound"}`
 * (docs/observability.md): rows pending or retrying, due at `next_retry_at` (the partial index
 * idx_inbound_events_due covers them).
 */
export const INBOUND_BACKLOG = {
  kind: 'inbound',
  table: 'inbound_events',
  dueColumn: 'next_retry_at',
  waiting: ['pending', 'retrying'] satisfies InboundStatus[],
} as const;
