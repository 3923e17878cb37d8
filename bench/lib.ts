/**
 * Helpers shared by the benchmark orchestrator and its baselines: signing, percentiles, child
 * processes, RSS and connection counts from /proc, small HTTP calls. Everything talks to
 * 127.0.0.1 only.
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes of this machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The generic ingest scheme `hmac-sha256` (CONTRACT §5.1): hex HMAC over "<timestamp>.<raw body>". */
export function ingestSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'x-webhook-timestamp': String(timestamp), 'x-webhook-signature': `sha256=${signature}` };
}

/** An ingest body of a realistic size (about 400 bytes) with a unique event_id (the dedup key). */
export function ingestBody(eventType: string, eventId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event_type: eventType,
    event_id: eventId,
    ...extra,
    order: {
      id: eventId,
      status: 'paid',
      amount: '1500.00',
      currency: 'EUR',
      customer: { id: 'cus_4711', name: 'Jane Doe', email: 'jane@example.com', phone: '+49 30 1234567' },
      items: [
        { sku: 'SKU-1', qty: 2, price: '500.00' },
        { sku: 'SKU-2', qty: 1, price: '500.00' },
      ],
    },
  });
}

/** The p-th percentile (0–100) of ascending values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** One JSON request with fetch (undici); the body of an envelope answer is returned whole. */
export async function call(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<JsonResponse> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** `data` of a success envelope, or an error naming the call. */
export async function callData<T>(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
  expected: number,
): Promise<T> {
  const res = await call(url, method, headers, body);
  if (res.status !== expected) {
    throw new Error(`${method} ${url} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body)}`);
  }
  return (res.body as { data: T }).data;
}

/** Runs `worker` over `items` with at most `concurrency` at once. */
export async function inParallel<T, R>(items: T[], concurrency: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await worker(items[index]);
      }
    }),
  );
  return results;
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  log: string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

function wrap(name: string, proc: ChildProcess, log: string): Child {
  if (proc.pid === undefined) throw new Error(`${name} did not start`);
  const exited = new Promise<number | null>((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });
  const out = createWriteStream(log, { flags: 'a' });
  proc.stdout?.pipe(out);
  proc.stderr?.pipe(out);
  return {
    name,
    proc,
    pid: proc.pid,
    log,
    exited,
    async stop(graceMs = 35_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Starts `node <args>` in the repository root, its output appended to `log`. */
export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv, log: string): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return wrap(name, proc, log);
}

/** Forks a TypeScript module of bench/ with an IPC channel. */
export function forkTs(name: string, file: string, env: NodeJS.ProcessEnv, log: string): Child {
  const proc = fork(join(ROOT, file), [], {
    cwd: ROOT,
    env,
    execArgv: TS_NODE,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return wrap(name, proc, log);
}

/** Runs a bench TypeScript script to its end and returns the JSON object it prints last. */
export async function runTsScript<T>(file: string, env: NodeJS.ProcessEnv, log: string, timeoutMs: number): Promise<T> {
  const proc = spawn(process.execPath, [...TS_NODE, join(ROOT, file)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = wrap(file, proc, log);
  let stdout = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const timer = setTimeout(() => void child.stop(2_000), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`${file} exited with ${code}; see ${log}`);
  return JSON.parse(last) as T;
}

/** Current and peak resident set of a process in MiB, from /proc (Linux). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * Established TCP connections of each process to the given remote ports (e.g. 5432 and 6379), from
 * /proc (Linux): the socket inodes a process holds (`/proc/<pid>/fd`) matched with /proc/net/tcp.
 */
export function connectionsOf(pids: number[], ports: number[]): Map<number, Record<number, number>> {
  const remotePortOf = new Map<string, number>();
  try {
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '01') continue; // 01: ESTABLISHED
      const port = parseInt(f[2].split(':')[1], 16);
      if (ports.includes(port)) remotePortOf.set(f[9], port);
    }
  } catch {
    return new Map();
  }
  const result = new Map<number, Record<number, number>>();
  for (const pid of pids) {
    const counts: Record<number, number> = Object.fromEntries(ports.map((p) => [p, 0]));
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        let target = '';
        try {
          target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue; // closed meanwhile
        }
        const port = remotePortOf.get(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '');
        if (port !== undefined) counts[port] += 1;
      }
    } catch {
      continue; // the process is gone
    }
    result.set(pid, counts);
  }
  return result;
}
