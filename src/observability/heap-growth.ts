import { setFlagsFromString } from 'node:v8';

/** The V8 flag that fixes how far the old generation may grow past its live size before the next full collection. */
const FLAG = 'heap-growing-percent';

/** Whether `--heap-growing-percent` (or `--heap_growing_percent`) is among the given Node.js options. */
function namesFlag(options: string): boolean {
  return options.split(/\s+/).some((option) => /^--heap[-_]growing[-_]percent(=|$)/.test(option));
}

/**
 * Bounds the V8 heap's growth between full collections (docs/operations.md, "Memory"). By default
 * V8 lets the old generation grow to up to 4 times what survived the last full collection when the
 * heap limit is 2 GiB or more (it is 4 GiB on a machine with 16 GiB of memory); under ingest load
 * most of that growth is garbage promoted from the young generation, which only a full collection
 * frees. With `percent` > 0 the next full collection starts once the old generation has grown by
 * `percent` per cent instead. 0 leaves V8's own sizing. A `--heap-growing-percent` given on the
 * command line or in NODE_OPTIONS wins: it is left as it is. The flag is read at every full
 * collection, so setting it at start-up applies from the next one on.
 *
 * Returns what was done: `set`, `left` (the operator's own flag) or `off` (0).
 */
export function applyHeapGrowth(
  percent: number,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): 'set' | 'left' | 'off' {
  if (namesFlag(execArgv.join(' ')) || namesFlag(nodeOptions ?? '')) return 'left';
  if (percent === 0) return 'off';
  setFlagsFromString(`--${FLAG}=${percent}`);
  return 'set';
}
