/**
 * Baseline "bare queue": COUNT empty jobs through a Bull queue on the same Redis, processed with
 * the same concurrency as a Hookhub worker (DELIVERY_CONCURRENCY, default 50) by a no-op handler.
 * Like the drain scenario, the jobs are added first (removeOnComplete, as Hookhub's are) and the
 * clock runs from the first job taken to the last one completed.
 *
 * Env: REDIS_URL, QUEUE_PREFIX (unique per run), COUNT, CONCURRENCY. Prints one JSON line.
 */
import Bull from 'bull';

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
  void queue.process('noop', concurrency, async () => {
    if (firstAt === 0) firstAt = performance.now();
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
