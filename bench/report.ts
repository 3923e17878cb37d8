/**
 * What `npm run bench` reports: the rows of figures, the table of issue #12's targets, the
 * per-scenario CPU profile summaries, the console table, bench/results/latest.json and the
 * generated results section of docs/benchmarks.md (between the two marks).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round, ROOT } from './lib';
import type { Spread } from './logs';
import type { ProfileSummary } from './profile';

export interface Row {
  /** The BENCH_SCENARIOS name that measured it. */
  scenarioId?: string;
  scenario: string;
  figure: string;
  unit: string;
  hookhub: number | null;
  baseline: number | null;
  baselineName: string | null;
  /** Hookhub divided by the baseline. */
  ratio: number | null;
  target: string;
  met: boolean | null;
  /** p50 / p95 / p99 of a latency figure (`hookhub` and `baseline` are then the p50s). */
  spread?: { hookhub: Spread | null; baseline: Spread | null };
}

/**
 * One target of issue #12 and where this run leaves it: `met`; `bound` when it is missed and a
 * measurement of the same run shows it beyond this machine (a bound that does strictly less work
 * than Hookhub misses it too; when a target has several such bounds, any one of them missing it
 * settles it); `not met` otherwise.
 */
export interface TargetRow {
  target: string;
  measured: string;
  baseline: string;
  ratio: number | null;
  bound: string;
  status: 'met' | 'not met' | 'bound';
}

/** The CPU profile of one process during one scenario. */
export interface ScenarioProfile {
  scenario: string;
  process: string;
  summary: ProfileSummary;
}

/** What a run writes to bench/results/latest.json. */
export interface RunResult {
  runId: string;
  finishedAt: string;
  durationSeconds: number;
  scale: number;
  scenarios: string[];
  sizes: Record<string, number | string>;
  machine: Record<string, unknown>;
  targets?: TargetRow[];
  rows: Row[];
  details: Record<string, unknown>;
  profiles?: ScenarioProfile[];
  /** Runs whose scenarios this one did not run again: their figures stay until those scenarios run again. */
  earlierRuns?: RunResult[];
}

export function fmt(value: number | null, unit?: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  const text = Math.abs(value) >= 100 ? String(Math.round(value)) : String(round(value, 1));
  return unit ? `${text} ${unit}` : text;
}

function fmtSpread(spread: Spread, unit: string): string {
  return `${fmt(spread.p50)} / ${fmt(spread.p95)} / ${fmt(spread.p99)} ${unit}`;
}

function tableRows(of: Row[]): string[][] {
  return of.map((r) => [
    r.scenario,
    r.figure,
    r.spread?.hookhub ? fmtSpread(r.spread.hookhub, r.unit) : fmt(r.hookhub, r.unit),
    r.baseline === null
      ? '—'
      : `${r.spread?.baseline ? fmtSpread(r.spread.baseline, r.unit) : fmt(r.baseline, r.unit)} (${r.baselineName})`,
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ]);
}

const HEADER = ['scenario', 'figure', 'Hookhub', 'baseline', 'ratio', 'target', 'met?'];
const TARGET_HEADER = ['#12 target', 'measured', 'baseline (same run)', 'ratio', 'measured bound', 'status'];

function targetCells(t: TargetRow): string[] {
  return [t.target, t.measured, t.baseline, t.ratio === null ? '—' : `${t.ratio.toFixed(2)}×`, t.bound, t.status];
}

function printAligned(header: string[], body: string[][]): void {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of body) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\n');
}

export function printTables(rows: Row[], targets: TargetRow[]): void {
  printAligned(HEADER, tableRows(rows));
  if (targets.length > 0) printAligned(TARGET_HEADER, targets.map(targetCells));
}

/** `dispatch dist/src/deliveries/dispatcher.service.js:120` → `dispatch (deliveries/dispatcher.service.js)`. */
function shortFrame(name: string): string {
  const at = name.lastIndexOf(' ');
  if (at < 0 || !/[/:]/.test(name.slice(at + 1))) return name;
  const fn = name.slice(0, at);
  const where = name
    .slice(at + 1)
    .replace(/:\d+$/, '')
    .replace(/^dist\/src\//, '');
  if (where.startsWith('node:')) return `${fn} (${where})`;
  const parts = where.split('/');
  const file = parts.length > 2 ? `${parts[0]}/…/${parts[parts.length - 1]}` : where;
  return `${fn} (${file})`;
}

const pct = (share: number): string => `${Math.round(share)} %`;

/** One markdown row per process and scenario: busy time, then the top packages and frames. */
export function profileRows(profiles: ScenarioProfile[]): string[] {
  if (profiles.length === 0) return [];
  const rows = profiles.map(({ scenario, process, summary: s }) => [
    scenario,
    process,
    `${round(s.busyMs / 1000, 1)} s of ${round(s.totalMs / 1000, 1)} s`,
    s.byPackage
      .slice(0, 6)
      .map((p) => `${p.name} ${pct(p.share)}`)
      .join(', '),
    s.topSelf
      .slice(0, 4)
      .map((f) => `${shortFrame(f.name)} ${pct(f.share)}`)
      .join(', '),
    s.topOwn
      .slice(0, 5)
      .map((f) => `${shortFrame(f.name)} ${pct(f.share)}`)
      .join(', '),
  ]);
  const header = [
    'scenario',
    'process',
    'CPU busy',
    'self time by package',
    'top functions (self)',
    "Hookhub's functions (inclusive)",
  ];
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
}

/** The scenario of rows written before rows named theirs. */
const SCENARIO_OF_ROW: Record<string, string> = {
  ingest: 'ingest',
  drain: 'drain',
  memory: 'drain',
  'end to end': 'e2e',
  'fan-out': 'fanout',
  logs: 'logs',
};

/** `run` reduced to the scenarios in `keep`; null when none of its figures is left. */
function keepScenarios(run: RunResult, keep: string[]): RunResult | null {
  const kept = run.rows.filter((r) => keep.includes(r.scenarioId ?? SCENARIO_OF_ROW[r.scenario]));
  if (kept.length === 0) return null;
  const details = Object.fromEntries(Object.entries(run.details).filter(([k]) => keep.includes(k)));
  return {
    ...run,
    scenarios: run.scenarios.filter((s) => keep.includes(s)),
    rows: kept,
    details,
    targets: undefined,
    profiles: run.profiles?.filter((p) => keep.includes(p.scenario)),
    earlierRuns: undefined,
  };
}

/** The earlier runs of the scenarios this partial run did not run (`others`), from the previous latest.json. */
function earlierRuns(file: string, others: string[]): RunResult[] {
  if (others.length === 0 || !existsSync(file)) return [];
  const previous = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
  return [previous, ...(previous.earlierRuns ?? [])]
    .map((run) => keepScenarios(run, others))
    .filter((run): run is RunResult => run !== null);
}

const START_MARK = '<!-- bench:results:start (written by npm run bench; edit outside these marks) -->';
const END_MARK = '<!-- bench:results:end -->';

function runMarkdown(run: RunResult, title: string): string[] {
  const m = run.machine;
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const targets = run.targets ?? [];
  const profiles = run.profiles ?? [];
  return [
    `${title} ${run.runId} on ${run.finishedAt}, ${run.durationSeconds} s in all ` +
      `(\`BENCH_SCALE=${run.scale}\`, scenarios ${run.scenarios.join(', ')}, commit ${String(m.commit)}).`,
    '',
    `Machine: ${String(m.nproc)} cores (\`nproc\`), ${String(m.cpu)}, ${String(m.memoryGiB)} GiB memory, ${String(m.os)}; ` +
      `Node.js ${String(m.node)}, PostgreSQL ${String(m.postgresql)}, Redis ${String(m.redis)}; ` +
      `load average at start ${(m.loadAverageAtStart as number[]).join(', ')}` +
      (Array.isArray(m.loadAverageAtEnd) ? `, at the end ${(m.loadAverageAtEnd as number[]).join(', ')}` : '') +
      '.',
    '',
    ...(targets.length > 0
      ? [
          "Issue #12's targets:",
          '',
          `| ${TARGET_HEADER.join(' | ')} |`,
          `| ${TARGET_HEADER.map(() => '---').join(' | ')} |`,
          ...targets.map((t) => `| ${targetCells(t).map(esc).join(' | ')} |`),
          '',
          'Every figure:',
          '',
        ]
      : []),
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...tableRows(run.rows).map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...(profiles.length > 0
      ? [
          'Where the time goes: CPU profiles of the Hookhub processes, scenario by scenario (share of each ' +
            'process\'s busy time; "CPU busy" is its CPU time in the scenario\'s wall time):',
          '',
          ...profileRows(profiles),
          '',
        ]
      : []),
    ...connectionsLine(run.details.peakConnections),
    ...foreignLine(run.details.foreignCpu),
    `Sizes: ${Object.entries(run.sizes)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    '',
  ];
}

/** How much of the cores other sessions' processes took, scenario by scenario, as one sentence. */
function foreignLine(foreign: unknown): string[] {
  if (!foreign || typeof foreign !== 'object' || Object.keys(foreign).length === 0) return [];
  const each = Object.entries(foreign as Record<string, { cpuSeconds: number; shareOfCores: number }>).map(
    ([slot, f]) => `${slot} ${f.shareOfCores} % (${f.cpuSeconds} CPU s)`,
  );
  return [
    `Other work on the machine during the run (CPU time of processes outside the bench and the PostgreSQL and ` +
      `Redis serving it, as a share of all cores): ${each.join('; ')}.`,
    '',
  ];
}

/** The most connections each process held at once, as one sentence. */
function connectionsLine(peaks: unknown): string[] {
  if (!peaks || typeof peaks !== 'object' || Object.keys(peaks).length === 0) return [];
  const each = Object.entries(peaks as Record<string, { postgres: number; redis: number }>).map(
    ([label, c]) => `${label} ${c.postgres} PostgreSQL and ${c.redis} Redis`,
  );
  return [`Connections each Hookhub process held at most (sampled every second): ${each.join('; ')}.`, ''];
}

function resultsMarkdown(result: RunResult): string {
  const earlier = result.earlierRuns ?? [];
  return [
    START_MARK,
    '',
    ...runMarkdown(result, 'Run'),
    ...earlier.flatMap((run) => runMarkdown(run, 'Kept from the earlier run')),
    'Every figure and the whole JSON (latencies, errors, memory, profiles) are in ' +
      '[`bench/results/latest.json`](../bench/results/latest.json).',
    '',
    END_MARK,
  ].join('\n');
}

const DOC_SKELETON = `# Benchmarks

${START_MARK}
${END_MARK}
`;

/**
 * Writes bench/results/latest.json and the results section of docs/benchmarks.md; the figures of
 * the scenarios this run did not run (`others`) are kept from the run that measured them.
 */
export function writeOutputs(run: RunResult, others: string[], log: (message: string) => void): void {
  const latest = join(ROOT, 'bench', 'results', 'latest.json');
  const earlier = earlierRuns(latest, others);
  const result: RunResult = earlier.length > 0 ? { ...run, earlierRuns: earlier } : run;
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(latest, `${JSON.stringify(result, null, 2)}\n`);
  const docPath = join(ROOT, 'docs', 'benchmarks.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : DOC_SKELETON;
  const start = doc.indexOf(START_MARK);
  const end = doc.indexOf(END_MARK);
  const section = resultsMarkdown(result);
  const next =
    start >= 0 && end > start
      ? doc.slice(0, start) + section + doc.slice(end + END_MARK.length)
      : `${doc.trimEnd()}\n\n## Results\n\n${section}\n`;
  writeFileSync(docPath, next);
  // keep the file as prettier formats it, so `npm run format:check` stays green
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--write', docPath], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  log(
    `wrote bench/results/latest.json and docs/benchmarks.md${earlier.length > 0 ? ' (other scenarios kept from earlier runs)' : ''}`,
  );
}

/** A partial, scaled or unwritten run's JSON, in the run's temporary folder. */
export function writeScratch(run: RunResult, dir: string, log: (message: string) => void): void {
  const file = join(dir, 'result.json');
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  log(`partial or scaled run: results in ${file} (BENCH_WRITE=true writes bench/results/latest.json and the docs)`);
}
