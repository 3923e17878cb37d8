/**
 * The capacity search: paced windows at rising rates until one fails, then a few halvings of the
 * gap between the last rate that held and the first that did not. A rate holds when the sender
 * kept its pace, every event was accepted and delivered, and the end-to-end p99 stayed within
 * the limit (1 s in issue #12). The capacity is the highest rate that held.
 *
 * A window slightly above the true capacity can still hold: its backlog grows by
 * (rate − capacity) × T over a window of T seconds, so the last events wait about
 * (rate / capacity − 1) × T s; a rate up to a fraction 1/T above the capacity still ends with a
 * p99 near 1 s. With 15 s windows the figure may overstate the sustained capacity by up to ~7 %.
 */
import { allDelivered, PacedFigures } from './paced';

export const P99_LIMIT_MS = 1000;

export type CapacityStep<F extends PacedFigures = PacedFigures> = F & {
  held: boolean;
  /** Why it did not hold. */
  why?: string;
};

export interface Climb<F extends PacedFigures = PacedFigures> {
  steps: CapacityStep<F>[];
  /** The highest rate that held; null when even the first did not. */
  capacity: number | null;
  /** The lowest rate that did not hold; null when every rate tried held (the capacity is then at least the last). */
  firstFailed: number | null;
}

/** Why a window did not hold, or undefined when it held. */
export function whyNotHeld(f: PacedFigures, limitMs = P99_LIMIT_MS): string | undefined {
  if (f.achievedRate < 0.95 * f.rate) return `the sender reached only ${f.achievedRate}/s`;
  if (!allDelivered(f)) return `${f.delivered} of ${f.sent} delivered, ${f.httpErrors} ingest errors`;
  if (!Number.isFinite(f.p99)) return 'no end-to-end latency was measured';
  if (f.p99 > limitMs) return `p99 ${Math.round(f.p99)} ms`;
  return undefined;
}

/** The rate halfway between `low` and `high`, rounded to a multiple of 10; null when there is none strictly between. */
function midway(low: number, high: number): number | null {
  const mid = Math.round((low + high) / 20) * 10;
  return mid > low && mid < high ? mid : null;
}

export async function climb<F extends PacedFigures>(
  rates: number[],
  refinements: number,
  measure: (rate: number) => Promise<F>,
  log: (message: string) => void,
): Promise<Climb<F>> {
  const steps: CapacityStep<F>[] = [];
  const run = async (rate: number): Promise<boolean> => {
    const f = await measure(rate);
    const why = whyNotHeld(f);
    steps.push({ ...f, held: why === undefined, ...(why ? { why } : {}) });
    log(
      `    ${rate}/s: p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.delivered}/${f.sent} delivered, ` +
        `sender ${f.achievedRate}/s: ${why ? `did not hold (${why})` : 'held'}`,
    );
    return why === undefined;
  };
  let capacity: number | null = null;
  let firstFailed: number | null = null;
  for (const rate of [...rates].sort((a, b) => a - b)) {
    if (!(await run(rate))) {
      firstFailed = rate;
      break;
    }
    capacity = rate;
  }
  for (let i = 0; i < refinements && firstFailed !== null; i++) {
    const rate = midway(capacity ?? 0, firstFailed);
    if (rate === null) break;
    if (await run(rate)) capacity = rate;
    else firstFailed = rate;
  }
  return { steps, capacity, firstFailed };
}
