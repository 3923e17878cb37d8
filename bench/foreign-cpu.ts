/**
 * How much CPU other work took from the machine while the bench ran: every second, the CPU time
 * (from /proc, Linux) of every process that is neither the bench's own (its process tree), nor
 * PostgreSQL or Redis serving it, added up by the scenario running. PostgreSQL backends of other
 * databases (from pg_stat_activity) count as other work; PostgreSQL's shared processes and Redis
 * count as the bench's, as they serve it too. Kernel threads are left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Client } from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      // after the command: state ppid … utime (14th field of the line) stime (15th)
      procs.set(Number(entry), { pid: Number(entry), ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  return procs;
}

function treeOf(root: number, procs: Map<number, Proc>): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of procs.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const tree = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export class ForeignCpu {
  private last = new Map<number, number>();
  private readonly bySlot: Record<string, { cpuSeconds: number; wallSeconds: number }> = {};
  private lastAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly db: Client,
    private readonly database: string,
    private readonly slot: () => string,
  ) {}

  start(intervalMs = 1000): void {
    this.last = new Map([...readProcs().values()].map((p) => [p.pid, p.ticks]));
    this.lastAt = Date.now();
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  stop(): Record<string, { cpuSeconds: number; wallSeconds: number; shareOfCores: number }> {
    clearInterval(this.timer);
    const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 1;
    return Object.fromEntries(
      Object.entries(this.bySlot).map(([slot, s]) => [
        slot,
        {
          cpuSeconds: Math.round(s.cpuSeconds * 10) / 10,
          wallSeconds: Math.round(s.wallSeconds),
          shareOfCores: Math.round((s.cpuSeconds / (s.wallSeconds * cores)) * 1000) / 10,
        },
      ]),
    );
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const others = await this.db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname IS NOT NULL AND datname <> $1`,
        [this.database],
      );
      const otherBackends = new Set(others.rows.map((r) => Number(r.pid)));
      const procs = readProcs();
      const ours = treeOf(process.pid, procs);
      const now = Date.now();
      let foreignTicks = 0;
      for (const p of procs.values()) {
        const before = this.last.get(p.pid) ?? p.ticks; // a process seen for the first time counts from now
        const delta = p.ticks - before;
        if (delta <= 0 || ours.has(p.pid) || p.ppid === 2 || p.pid === 2) continue;
        const serving = p.comm === 'redis-server' || (p.comm === 'postgres' && !otherBackends.has(p.pid));
        if (!serving) foreignTicks += delta;
      }
      this.last = new Map([...procs.values()].map((p) => [p.pid, p.ticks]));
      const slot = (this.bySlot[this.slot()] ??= { cpuSeconds: 0, wallSeconds: 0 });
      slot.cpuSeconds += foreignTicks / TICKS_PER_SECOND;
      slot.wallSeconds += (now - this.lastAt) / 1000;
      this.lastAt = now;
    } catch {
      // a sample lost is a second not counted
    } finally {
      this.busy = false;
    }
  }
}
