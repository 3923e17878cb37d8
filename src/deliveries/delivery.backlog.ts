import { DeliveryStatus } from './delivery.entity';

/**
 * Where deliveries wait, for `hookhub_queue_depth{kind="deliveries"}` (docs/observability.md): rows
 * queued or retrying, due at `next_attempt_at` (the partial index idx_deliveries_due covers them).
 */
export const DELIVERY_BACKLOG = {
  kind: 'deliveries',
  table: 'deliveries',
  dueColumn: 'next_attempt_at',
  waiting: ['queued', 'retrying'] satisfies DeliveryStatus[],
} as const;
