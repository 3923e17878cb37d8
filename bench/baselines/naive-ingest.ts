/**
 * Baseline "naive ingest": a bare Node `http` server that INSERTs each request body into
 * PostgreSQL, one row per request, and answers 202 after the commit (autocommit: the INSERT is
 * its own transaction). No framework, no verification, no queue. The pool has 20 connections,
 * like each Hookhub process.
 *
 * Env: DATABASE_URL (the bench database), PORT (0 picks one). Prints `{"port": n}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

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
      pool
        .query<{ id: string }>('INSERT INTO naive_ingest (body) VALUES ($1) RETURNING id', [
          Buffer.concat(chunks).toString('utf8'),
        ])
        .then((result) => {
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: result.rows[0].id }));
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
