/** Deeper bodies are refused: no provider or client nests this far, and deep bodies cost CPU to walk. */
export const MAX_DEPTH = 32;

/** How deeply objects and arrays nest in `value` (a scalar is 0). */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    max = Math.max(max, depth + 1);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(node as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return max;
}
