/** The Bull queue of delivery attempts; a job carries only the delivery id and the attempt it is for. */
export const DELIVERY_QUEUE = 'deliveries';
export const DELIVER_JOB = 'deliver';

export interface DeliverJob {
  deliveryId: string;
}

/**
 * Deterministic job id of the attempt `attempt` of a delivery: the publisher, the retry scheduler
 * and the sweeper all add the same id, so Redis never holds the same attempt twice.
 */
export function deliverJobId(deliveryId: string, attempt: number): string {
  return `${deliveryId}:${attempt}`;
}
