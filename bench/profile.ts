/**
 * Summarises V8 CPU profiles (a .cpuprofile written by `node --cpu-prof`, or the profile the
 * inspector's `Profiler.stop` returns): where the CPU time went, by package (self time) and by
 * function (self and inclusive time, each sample counted once per function on its stack). Several
 * profiles of one process role (a worker restarted within a scenario) add up into one summary.
 *
 * `node -r ts-node/register/transpile-only bench/profile.ts <file.cpuprofile>… [--top N]`
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './lib';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** What was profiled: a file, or `<scenario> <process>`. */
  file: string;
  /** Wall time the profile covers, and the part not idle, in ms. */
  totalMs: number;
  busyMs: number;
  byPackage: { name: string; selfMs: number; share: number }[];
  topSelf: { name: string; selfMs: number; share: number }[];
  topInclusive: { name: string; totalMs: number; share: number }[];
  /** Hookhub's own functions (dist/src) by inclusive time: where in our code the time is spent. */
  topOwn: { name: string; totalMs: number; share: number }[];
}

/**
 * `pg`, `typeorm`, `@nestjs/core`, `hookhub src`, `node: core`, `(garbage collector)`, `native code`
 * (V8 builtins and Node's C++ bindings without a script, e.g. `writev`, the socket writes)…
 */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'native code';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node: core';
  if (url.includes('/dist/src/')) return 'hookhub src';
  if (url.includes('/dist/')) return 'hookhub other';
  return url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.startsWith('file://') ? relative(ROOT, url.slice(7)) : url}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where.replace(/^(?:.*\/)?node_modules\//, '')}` : ''}`;
}

/**
 * Self time (ms) of each node of one profile, the sample's time being the time until the next
 * sample; samples taken before `fromUs` (the profile's clock: CLOCK_MONOTONIC in µs on Linux, the
 * clock of `process.hrtime`) are left out.
 */
function selfTimes(profile: CpuProfile, fromUs: number): Map<number, number> {
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs) continue;
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + delta);
  }
  return self;
}

/** A profile, and from when on it counts (e.g. once the process was ready); the whole profile without `fromUs`. */
export interface ProfilePart {
  profile: CpuProfile;
  fromUs?: number;
}

interface Tally {
  totalMs: number;
  idleMs: number;
  packages: Map<string, number>;
  functions: Map<string, number>;
  inclusive: Map<string, number>;
}

const add = (m: Map<string, number>, key: string, ms: number): void => {
  m.set(key, (m.get(key) ?? 0) + ms);
};

function tallyProfile({ profile, fromUs = 0 }: ProfilePart, t: Tally): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  t.totalMs += Math.max(0, profile.endTime - Math.max(profile.startTime, fromUs)) / 1000;
  for (const [id, ms] of selfTimes(profile, fromUs)) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      t.idleMs += ms;
      continue;
    }
    add(t.packages, packageOf(node.callFrame.url, node.callFrame.functionName), ms);
    add(t.functions, frameName(node), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (frame.callFrame.functionName === '(root)') continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(t.inclusive, key, ms);
    }
  }
}

/** One summary of the profiles of one process (or of one file). */
export function summarizeProfiles(label: string, profiles: ProfilePart[], top = 15): ProfileSummary {
  const t: Tally = { totalMs: 0, idleMs: 0, packages: new Map(), functions: new Map(), inclusive: new Map() };
  for (const profile of profiles) tallyProfile(profile, t);
  const busyMs = t.totalMs - t.idleMs;
  const share = (ms: number): number => (busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0);
  const ranked = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return {
    file: label,
    totalMs: Math.round(t.totalMs),
    busyMs: Math.round(busyMs),
    byPackage: ranked(t.packages)
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: share(ms) })),
    topSelf: ranked(t.functions)
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: share(ms) })),
    topInclusive: ranked(t.inclusive)
      .filter(([name]) => !name.startsWith('(program)'))
      .slice(0, top * 2)
      .map(([name, ms]) => ({ name, totalMs: Math.round(ms), share: share(ms) })),
    topOwn: ranked(t.inclusive)
      .filter(([name]) => name.includes(' dist/src/'))
      .slice(0, top)
      .map(([name, ms]) => ({ name, totalMs: Math.round(ms), share: share(ms) })),
  };
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  return summarizeProfiles(file, [{ profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile }], top);
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`${s.file}: ${s.totalMs} ms profiled, ${s.busyMs} ms busy`, '  self time by package:'];
  for (const p of s.byPackage) lines.push(`    ${p.share.toFixed(1).padStart(5)}%  ${p.selfMs} ms  ${p.name}`);
  lines.push('  top functions by self time:');
  for (const f of s.topSelf) lines.push(`    ${f.share.toFixed(1).padStart(5)}%  ${f.selfMs} ms  ${f.name}`);
  lines.push('  top functions by inclusive time:');
  for (const f of s.topInclusive) lines.push(`    ${f.share.toFixed(1).padStart(5)}%  ${f.totalMs} ms  ${f.name}`);
  lines.push("  Hookhub's own functions by inclusive time:");
  for (const f of s.topOwn) lines.push(`    ${f.share.toFixed(1).padStart(5)}%  ${f.totalMs} ms  ${f.name}`);
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
  if (args.length === 0) {
    process.stderr.write('usage: bench/profile.ts <file.cpuprofile>… [--top N]\n');
    process.exit(2);
  }
  const profiles = args.map((file) => ({ profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile }));
  process.stdout.write(`${formatProfile(summarizeProfiles(args.join(' + '), profiles, top))}\n`);
}
