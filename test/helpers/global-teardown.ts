import Redis from 'ioredis';
import { Client } from 'pg';

/** Drops this run's database and deletes its queue keys. */
export default async function globalTeardown(): Promise<void> {
  if (!process.env.HOOKHUB_TEST_RUN) return;
  if (process.env.KEEP_TEST_DATABASE !== 'true') {
    const url = new URL(process.env.DATABASE_URL!);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
  const redis = new Redis(process.env.REDIS_URL!);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.QUEUE_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
