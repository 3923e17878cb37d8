/**
 * Baseline "bare queue": COUNT empty jobs through a Bull queue on the same Redis, processed with
 * the same concurrency as a Hookhub worker (DELIVERY_CONCURRENCY, default 50) by a no-op handler.
 * Like the drain scenario, the jobs are added first (removeOnComplete, as Hookhub's are) and the
 * clock runs from the first job taken to the last one completed.
 *
 * With `SEND_URL`, each job's handler instead POSTs a signed delivery envelope to that URL, like
 * raw-send.ts (Hookhub's signing code, 32 keep-alive connections): a bound on any Bull-driven
 * sender on this machine, what Hookhub's drain would reach with no PostgreSQL at all.
 *
 * Env: REDIS_URL, QUEUE_PREFIX (unique per run), COUNT, CONCURRENCY, SEND_URL. Prints one JSON line.
 */
import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { signatureHeaders } from '../../src/common/signing';

/** The job handler: nothing, or one signed POST of a delivery envelope to `url`. */
function handler(url: string | undefined): (job: Bull.Job) => Promise<void> {
  if (!url) return async () => undefined;
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  return async (job) => {
    const eventId = `evt_bare${job.id}`;
    const body = JSON.stringify({
      webhook_id: 'wh_bare',
      event_id: eventId,
      event_type: 'drain.item',
      timestamp: new Date().toISOString(),
      delivery_attempt: 1,
      data: { seq: job.id, amount: '1500.00' },
      metadata: {},
    });
    const headers = {
      'Content-Type': 'application/json',
      'X-Event-ID': eventId,
      ...signatureHeaders({ secrets: [secret], eventId, timestamp: Math.floor(Date.now() / 1000), body }),
    };
    const res = await request(url, { method: 'POST', headers, body, dispatcher: agent, headersTimeout: 10_000 });
    await res.body.text();
  };
}

async function main(): Promise<void> {
  const count = Number(process.env.COUNT ?? 20_000);
  const concurrency = Number(process.env.CONCURRENCY ?? 50);
  const queue = new Bull('bare', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    prefix: process.env.QUEUE_PREFIX ?? `hookhub_bench_bare_${Date.now()}`,
  });
  await queue.isReady();
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    await queue.addBulk(
      Array.from({ length: n }, (_, k) => ({
        name: 'noop',
        data: {},
        opts: { jobId: `job-${i + k}`, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  let firstAt = 0;
  let done = 0;
  const finished = new Promise<number>((resolve) => {
    queue.on('completed', () => {
      done += 1;
      if (done === count) resolve(performance.now());
    });
  });
  const handle = handler(process.env.SEND_URL);
  void queue.process('noop', concurrency, async (job) => {
    if (firstAt === 0) firstAt = performance.now();
    await handle(job);
  });
  const timeout = new Promise<number>((_, reject) =>
    setTimeout(() => reject(new Error(`only ${done} of ${count} jobs done in 300 s`)), 300_000).unref(),
  );
  const lastAt = await Promise.race([finished, timeout]);
  const elapsedMs = lastAt - firstAt;
  await queue.obliterate({ force: true });
  await queue.close();
  process.stdout.write(`${JSON.stringify({ count, concurrency, elapsedMs, perSecond: (count / elapsedMs) * 1000 })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bare-queue: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
