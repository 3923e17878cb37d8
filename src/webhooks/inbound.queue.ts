/** The Bull queue of inbound-event processing runs; a job carries only the inbound event id. */
export const INBOUND_QUEUE = 'inbound';
export const PROCESS_JOB = 'process';

export interface ProcessJob {
  inboundEventId: string;
}

/** Deterministic job id of run `run` (0 = first, n = n-th retry): publisher, retries and sweeper agree. */
export function processJobId(inboundEventId: string, run: number): string {
  return `${inboundEventId}:${run}`;
}
