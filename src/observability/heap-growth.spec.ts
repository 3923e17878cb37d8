import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { applyHeapGrowth } from './heap-growth';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs a workload in a fresh Node.js process with applyHeapGrowth(percent) applied first: a
 * retained set of about 40 MB and a stream of short-lived objects, some held long enough to be
 * promoted to the old generation (as requests waiting on a database are). Answers the old
 * generation's largest size in MiB.
 */
function peakOldSpaceMb(percent: number): number {
  const script = `
    const v8 = require('node:v8');
    const what = require('./src/observability/heap-growth').applyHeapGrowth(${percent}, [], undefined);
    const retained = [];
    for (let i = 0; i < 300000; i++) retained.push({ a: 'r' + i, b: [i, i + 1], c: { d: i } });
    const held = [];
    let peak = 0;
    for (let round = 0; round < 600; round++) {
      for (let i = 0; i < 2000; i++) held.push({ s: 'q' + Math.random(), body: 'x'.repeat(64) + i, n: [i, i, i] });
      if (held.length > 60000) held.splice(0, 2000);
      const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
      peak = Math.max(peak, old.space_size);
    }
    process.stdout.write(JSON.stringify({ what, peak: peak / 2 ** 20, kept: retained.length }));
  `;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const result = JSON.parse(out) as { what: string; peak: number };
  expect(result.what).toBe(percent === 0 ? 'off' : 'set');
  return result.peak;
}

describe('applyHeapGrowth', () => {
  it('leaves a --heap-growing-percent given on the command line or in NODE_OPTIONS', () => {
    expect(applyHeapGrowth(50, ['--heap-growing-percent=30'], undefined)).toBe('left');
    expect(applyHeapGrowth(50, ['--heap_growing_percent', '30'], undefined)).toBe('left');
    expect(applyHeapGrowth(50, [], '--max-old-space-size=512 --heap-growing-percent=30')).toBe('left');
  });

  it('changes nothing with 0', () => {
    expect(applyHeapGrowth(0, [], '--max-old-space-size=512 --heap-growing-percent-typo')).toBe('off');
  });

  it('keeps the old generation smaller under promotion pressure than V8 by default', () => {
    const bounded = peakOldSpaceMb(50);
    const unbounded = peakOldSpaceMb(0);
    expect(bounded).toBeLessThan(unbounded * 0.6);
  }, 60_000);
});
