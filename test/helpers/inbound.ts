import request from 'supertest';
import type { App } from 'supertest/types';
import { eventually } from './receiver';

type Auth = { Authorization: string };

/** One inbound event as GET /api/v1/inbound-events/{id} shows it. */
export async function inboundEvent(http: App, auth: Auth, id: string) {
  const res = await request(http).get(`/api/v1/inbound-events/${id}`).set(auth).expect(200);
  return res.body.data;
}

/** Waits until an inbound event reaches `status` (completed or failed) and returns it. */
export function settledInbound(http: App, auth: Auth, id: string, status: 'completed' | 'failed', timeoutMs = 15_000) {
  return eventually(
    async () => {
      const e = await inboundEvent(http, auth, id);
      return e.status === status ? e : undefined;
    },
    timeoutMs,
    `inbound event ${id} ${status}`,
  );
}

/** How many inbound events a source has stored. */
export async function inboundCount(http: App, auth: Auth, sourceId: string): Promise<number> {
  const res = await request(http).get(`/api/v1/inbound-events?source_id=${sourceId}`).set(auth).expect(200);
  return res.body.meta.pagination.total as number;
}
