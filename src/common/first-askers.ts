/**
 * Hands the rows of one batched claim back to their askers, in the askers' order: each id's row to
 * the first asker of that id, null to a later asker of the same id and to an id no row came back for
 * (not due, or held by another run).
 */
export function toFirstAskers<R>(ids: readonly string[], rows: readonly R[], idOf: (row: R) => string): (R | null)[] {
  const byId = new Map(rows.map((row) => [idOf(row), row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (row === undefined) return null;
    byId.delete(id);
    return row;
  });
}
