/**
 * Text search in events: `q` is looked for, case-insensitively, anywhere in an event's `data` as
 * published (the JSON text subscribers receive), served by the trigram index idx_events_data_trgm
 * where pg_trgm is installed (patterns of 3 characters or more).
 */

/** `q` as an ILIKE pattern matching its text anywhere; `%`, `_` and `\` in it are taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
