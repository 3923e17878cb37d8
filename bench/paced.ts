/**
 * Paced, open-loop signed ingest and the end-to-end latency it yields: request i leaves at
 * start + i / rate whatever the answers (autocannon's `overallRate` sends each second's budget as
 * one burst, which would measure burst queueing, not a steady rate). Each body carries `sent_at`
 * (ms since the epoch, taken just before the request leaves); the receiver (bench/receiver.ts)
 * records arrival minus `sent_at` for every delivery it gets. Used by the end-to-end, capacity and
 * scale-out scenarios, for Hookhub and for the naive pipeline alike.
 */
import { Pool } from 'undici';
import { ingestBody, ingestSignature, nowMs, percentile, round, waitFor } from './lib';
import type { ReceiverStats } from './receiver';

/** Where signed events go: Hookhub's `/api/v1/ingest/{source_id}` or a baseline's ingest route. */
export interface IngestTarget {
  origin: string;
  path: string;
  secret: string;
  /** The event type of the bodies (the subscription must match it). */
  eventType: string;
}

export interface ReceiverControl {
  reset(): Promise<unknown>;
  stats(latencies?: boolean): Promise<ReceiverStats>;
}

/** One paced window, sent and delivered. Latencies in ms. */
export interface PacedFigures {
  rate: number;
  seconds: number;
  sent: number;
  /** Requests sent per second, as the sender managed to pace them. */
  achievedRate: number;
  httpErrors: number;
  delivered: number;
  /** Arrival at the receiver minus `sent_at`. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Time to the ingest answer (202), seen by the sender. */
  ingestHttp: { p50: number; p99: number; max: number };
  /** From the first request sent to the last delivery received. */
  deliveredPerSecond: number;
  /** When the first and the last request left (ms since the epoch): the `sent_at` range of the window. */
  sentFrom: number;
  sentTo: number;
}

/** Requests in flight at most: enough for any rate here, so that the pacing is never held back. */
const CONNECTIONS = 64;

interface Sent {
  sent: number;
  startedAt: number;
  sendSeconds: number;
  httpErrors: number;
  http: number[];
  lastSentAt: number;
}

async function sendPaced(target: IngestTarget, rate: number, seconds: number, tag: string): Promise<Sent> {
  const total = Math.round(rate * seconds);
  const pool = new Pool(target.origin, { connections: CONNECTIONS, pipelining: 1 });
  const interval = 1000 / rate;
  const http: number[] = [];
  let httpErrors = 0;
  const inflight: Promise<void>[] = [];
  let lastSentAt = 0;
  const fire = (i: number): void => {
    const sentAt = nowMs();
    lastSentAt = sentAt;
    const body = ingestBody(target.eventType, `${tag}-${i}`, { sent_at: round(sentAt, 3) });
    const headers = { 'content-type': 'application/json', ...ingestSignature(target.secret, body) };
    inflight.push(
      pool
        .request({ path: target.path, method: 'POST', headers, body, headersTimeout: 60_000 })
        .then(async (res) => {
          await res.body.text();
          if (res.statusCode !== 202) httpErrors += 1;
          http.push(nowMs() - sentAt);
        })
        .catch(() => {
          httpErrors += 1;
        }),
    );
  };
  const startedAt = nowMs() + 20;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowMs();
      while (sent < total && startedAt + sent * interval <= now) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, startedAt + sent * interval - nowMs()));
      else resolve();
    };
    tick();
  });
  const sendSeconds = (nowMs() - startedAt) / 1000;
  await Promise.all(inflight);
  await pool.close();
  return { sent: total, startedAt, sendSeconds, httpErrors, http, lastSentAt };
}

/**
 * Sends `rate` events/s for `seconds` to `target` and waits until the receiver has them all (or
 * nothing more arrived for `stallMs`). The receiver is reset first.
 */
export async function pacedWindow(
  target: IngestTarget,
  receiver: ReceiverControl,
  rate: number,
  seconds: number,
  tag: string,
  stallMs = 30_000,
): Promise<PacedFigures> {
  await receiver.reset();
  const s = await sendPaced(target, rate, seconds, tag);
  let last = -1;
  let lastChange = Date.now();
  const stats = await waitFor(
    `${s.sent} deliveries at the receiver`,
    async () => {
      const now = await receiver.stats();
      if (now.count !== last) {
        last = now.count;
        lastChange = Date.now();
      }
      if (now.count >= s.sent - s.httpErrors || Date.now() - lastChange > stallMs) return receiver.stats(true);
      return undefined;
    },
    900_000,
    100,
  );
  const latencies = (stats.latencies ?? []).sort((a, b) => a - b);
  const http = s.http.sort((a, b) => a - b);
  return {
    rate,
    seconds,
    sent: s.sent,
    achievedRate: round(s.sent / s.sendSeconds, 1),
    httpErrors: s.httpErrors,
    delivered: stats.count,
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    ingestHttp: {
      p50: round(percentile(http, 50)),
      p99: round(percentile(http, 99)),
      max: round(http[http.length - 1] ?? NaN),
    },
    deliveredPerSecond: round((stats.count / ((stats.lastAt ?? s.startedAt) - s.startedAt)) * 1000, 1),
    sentFrom: round(s.startedAt, 3),
    sentTo: round(s.lastSentAt, 3),
  };
}

/** Every event sent was accepted and delivered. */
export function allDelivered(f: PacedFigures): boolean {
  return f.httpErrors === 0 && f.delivered >= f.sent;
}
