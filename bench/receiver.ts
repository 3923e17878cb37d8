/**
 * A fast local subscriber for the benchmarks: answers every POST with 200 at once and records the
 * arrival time of each request. When the body's `data.sent_at` (ms since the epoch, set by the
 * load generator) is present, it also records the ingest-to-subscriber latency.
 *
 * Run by bench/run.ts as a child process with an IPC channel: it sends `{type: 'ready', port}`,
 * answers `{id, cmd: 'reset'}` and `{id, cmd: 'stats', latencies?}` with `{id, ...}`.
 * Standalone: `RECEIVER_PORT=4000 node -r ts-node/register/transpile-only bench/receiver.ts`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceiverStats {
  count: number;
  /** Arrival of the first and the last request since the last reset (ms since the epoch). */
  firstAt: number | null;
  lastAt: number | null;
  /** Arrival minus `data.sent_at`, in ms, when asked for. */
  latencies?: number[];
  /** Requests whose signature headers were missing (should be 0). */
  unsigned: number;
}

const SENT_AT = /"sent_at":\s*(\d+(?:\.\d+)?)/;

let count = 0;
let unsigned = 0;
let firstAt: number | null = null;
let lastAt: number | null = null;
let latencies: number[] = [];

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    count += 1;
    if (firstAt === null) firstAt = at;
    lastAt = at;
    if (!req.headers['x-webhook-signature'] || !req.headers['webhook-signature']) unsigned += 1;
    const sentAt = SENT_AT.exec(Buffer.concat(chunks).toString('utf8'));
    if (sentAt) latencies.push(at - Number(sentAt[1]));
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;

interface Command {
  id: number;
  cmd: 'reset' | 'stats';
  latencies?: boolean;
}

function stats(withLatencies: boolean): ReceiverStats {
  return { count, firstAt, lastAt, unsigned, ...(withLatencies ? { latencies } : {}) };
}

process.on('message', (message: Command) => {
  if (message.cmd === 'reset') {
    count = 0;
    unsigned = 0;
    firstAt = null;
    lastAt = null;
    latencies = [];
    process.send?.({ id: message.id });
  } else {
    process.send?.({ id: message.id, ...stats(message.latencies === true) });
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

server.listen(Number(process.env.RECEIVER_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  if (process.send) process.send({ type: 'ready', port });
  else process.stdout.write(`receiver listening on http://127.0.0.1:${port}\n`);
});
