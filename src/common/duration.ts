const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Parses a duration such as `500ms`, `5s`, `5m`, `2h` or `5d` into milliseconds.
 * Returns `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** Parses a comma-separated list of durations (`5s,5m,30m`); `undefined` when any item is not a duration. */
export function parseDurationList(text: string): number[] | undefined {
  const items = text.split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === '')) return undefined;
  const values = items.map(parseDuration);
  return values.every((v): v is number => v !== undefined) ? values : undefined;
}

/** Formats milliseconds back into the shortest exact duration (`300000` → `5m`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
