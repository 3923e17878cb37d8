/**
 * Baseline "naive pipeline": the least a durable ingest → queue → delivery pipeline can do with
 * the same parts as Hookhub (Node `http`, PostgreSQL through `pg`, Bull on the same Redis, undici),
 * in two processes like Hookhub's api and worker:
 *
 * - `ROLE=ingest`: a bare `http` server; per request it checks the generic `hmac-sha256`
 *   signature, INSERTs the body (one autocommit statement, pool of 20), adds one Bull job carrying
 *   the row id, and answers 202.
 * - `ROLE=worker`: processes those jobs with concurrency CONCURRENCY (default 50): SELECTs the
 *   body, POSTs it signed with Hookhub's signing code to TARGET_URL (32 keep-alive connections,
 *   like Hookhub's sender), and UPDATEs the row's `delivered_at`.
 *
 * One hop and three statements per event, no tenants, no normalising, no fan-out, no claims, no
 * retries: what Hookhub's two hops (inbound event → event and deliveries → delivery) are compared
 * with. The body is forwarded as it came, so the receiver finds `sent_at` in it.
 *
 * Env: ROLE, DATABASE_URL, REDIS_URL, QUEUE_PREFIX, SECRET (ingest), PORT (ingest; 0 picks one),
 * TARGET_URL and CONCURRENCY (worker). Prints `{"port": n}` (ingest) or `{"ready": true}` (worker).
 */
import Bull from 'bull';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { Agent, request } from 'undici';
import { signatureHeaders } from '../../src/common/signing';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const queue = new Bull<{ id: string }>('pipeline', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  prefix: process.env.QUEUE_PREFIX ?? `hookhub_bench_pipeline_${Date.now()}`,
});

function validSignature(req: IncomingMessage, body: Buffer, secret: string): boolean {
  const timestamp = req.headers['x-webhook-timestamp'];
  const given = String(req.headers['x-webhook-signature'] ?? '').replace(/^sha256=/, '');
  const expected = createHmac('sha256', secret)
    .update(`${String(timestamp)}.`)
    .update(body)
    .digest('hex');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

async function ingest(): Promise<void> {
  const secret = process.env.SECRET ?? '';
  await pool.query(
    `CREATE TABLE IF NOT EXISTS naive_pipeline (
       id bigserial PRIMARY KEY,
       received_at timestamptz NOT NULL DEFAULT now(),
       delivered_at timestamptz,
       body jsonb NOT NULL
     )`,
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!validSignature(req, body, secret)) {
        res.writeHead(401).end();
        return;
      }
      pool
        .query<{ id: string }>('INSERT INTO naive_pipeline (body) VALUES ($1) RETURNING id', [body.toString('utf8')])
        .then(async (result) => {
          const id = result.rows[0].id;
          await queue.add({ id }, { jobId: id, removeOnComplete: true, removeOnFail: true });
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id }));
        })
        .catch((error: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: error.message }));
        });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([queue.close(), pool.end()]).then(() => process.exit(0));
  });
}

async function deliver(agent: Agent, url: string, secret: string, id: string): Promise<void> {
  const { rows } = await pool.query<{ body: string }>('SELECT body::text AS body FROM naive_pipeline WHERE id = $1', [
    id,
  ]);
  const body = rows[0].body;
  const eventId = `evt_pipe${id}`;
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'Hookhub-bench',
    'X-Event-ID': eventId,
    ...signatureHeaders({ secrets: [secret], eventId, timestamp: Math.floor(Date.now() / 1000), body }),
  };
  const res = await request(url, { method: 'POST', headers, body, dispatcher: agent, headersTimeout: 10_000 });
  await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`the receiver answered ${res.statusCode}`);
  await pool.query('UPDATE naive_pipeline SET delivered_at = now() WHERE id = $1', [id]);
}

async function work(): Promise<void> {
  const url = process.env.TARGET_URL ?? 'http://127.0.0.1:4000/pipeline';
  const concurrency = Number(process.env.CONCURRENCY ?? 50);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  await queue.isReady();
  void queue.process(concurrency, (job) => deliver(agent, url, secret, job.data.id));
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  process.once('SIGTERM', () => {
    void Promise.all([queue.close(), pool.end(), agent.close()]).then(() => process.exit(0));
  });
}

(process.env.ROLE === 'worker' ? work() : ingest()).catch((error: Error) => {
  process.stderr.write(`naive-pipeline: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
