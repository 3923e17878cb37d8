/**
 * Baseline "naive ingest": a bare Node `http` server that INSERTs each request body into
 * PostgreSQL, one row per request, and answers 202 after the commit (autocommit: the INSERT is
 * its own transaction). No framework, no verification, no queue. The pool has 20 connections,
 * like each Hookhub process.
 *
 * With `STORE=none` it answers 202 as soon as the body is read, storing nothing: a bound, what
 * Node's HTTP server and the load generator alone reach on this machine (the ingest path without
 * PostgreSQL).
 *
 * Env: DATABASE_URL (the bench database), PORT (0 picks one), STORE (`postgres`, the default, or
 * `none`). Prints `{"port": n}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const STORE = process.env.STORE === 'none' ? 'none' : 'postgres';

/** The answer once the body is stored (or at once with STORE=none). */
function store(body: string): Promise<string> {
  if (STORE === 'none') return Promise.resolve('0');
  return pool
    .query<{ id: string }>('INSERT INTO naive_ingest (body) VALUES ($1) RETURNING id', [body])
    .then((result) => result.rows[0].id);
}

async function main(): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS naive_ingest (
       id bigserial PRIMARY KEY,
       received_at timestamptz NOT NULL DEFAULT now(),
       body jsonb NOT NULL
     )`,
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      store(Buffer.concat(chunks).toString('utf8'))
        .then((id) => {
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
    void pool.end().then(() => process.exit(0));
  });
}

main().catch((error: Error) => {
  process.stderr.write(`naive-ingest: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
