/**
 * Summarises a V8 .cpuprofile (written by `node --cpu-prof`): where the CPU time went, by
 * package (self time) and by function (self and inclusive time, each sample counted once per
 * function on its stack).
 *
 * `node -r ts-node/register/transpile-only bench/profile.ts <file.cpuprofile> [top]`
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './lib';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Wall time the profile covers, and the part not idle, in ms. */
  totalMs: number;
  busyMs: number;
  byPackage: { name: string; selfMs: number; share: number }[];
  topSelf: { name: string; selfMs: number; share: number }[];
  topInclusive: { name: string; totalMs: number; share: number }[];
}

/** `pg`, `typeorm`, `@nestjs/core`, `hookhub src`, `node:internal`, `(garbage collector)`… */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
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
  return `${functionName || '(anonymous)'}${where ? ` ${where.replace(/^node_modules\//, '')}` : ''}`;
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000; // the time until the next sample, in ms
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + delta);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  let idleMs = 0;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    const name = frameName(node);
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (frame.callFrame.functionName === '(root)') continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const busyMs = totalMs - idleMs;
  const share = (ms: number): number => Math.round((ms / busyMs) * 1000) / 10;
  const ranked = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return {
    file,
    totalMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    byPackage: ranked(packages)
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: share(ms) })),
    topSelf: ranked(functions)
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: share(ms) })),
    topInclusive: ranked(inclusive)
      .filter(([name]) => !name.startsWith('(program)'))
      .slice(0, top * 2)
      .map(([name, ms]) => ({ name, totalMs: Math.round(ms), share: share(ms) })),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`${s.file}: ${s.totalMs} ms profiled, ${s.busyMs} ms busy`, '  self time by package:'];
  for (const p of s.byPackage) lines.push(`    ${p.share.toFixed(1).padStart(5)}%  ${p.selfMs} ms  ${p.name}`);
  lines.push('  top functions by self time:');
  for (const f of s.topSelf) lines.push(`    ${f.share.toFixed(1).padStart(5)}%  ${f.selfMs} ms  ${f.name}`);
  lines.push('  top functions by inclusive time:');
  for (const f of s.topInclusive) lines.push(`    ${f.share.toFixed(1).padStart(5)}%  ${f.totalMs} ms  ${f.name}`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: bench/profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(file, Number(top ?? 15)))}\n`);
}
