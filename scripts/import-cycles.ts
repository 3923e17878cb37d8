/**
 * `npm run check:imports`: fails when the TypeScript files under src/ import each other in a circle.
 * Every import counts, `import type` and `export … from` included, so a circle cannot hide behind a
 * type-only edge or a lazy `require` (require calls are read too).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { resolveImport, sourceFiles } from './source-tree';

/** Each file's imports of other files in the same tree. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => resolveImport(file, f.fileName))
      .filter((t): t is string => t !== null && t.startsWith(root));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The import circles of a graph: its strongly connected components (Tarjan's algorithm) of more
 * than one file, or of one file importing itself; each lists its files, sorted.
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components.map((c) => c.sort());
}

/** One shortest circle through a component, from its first file back to it, for the report. */
export function circleThrough(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.get(file) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function main(): void {
  const root = resolve(__dirname, '..', 'src');
  const graph = importGraph(root);
  const cycles = importCycles(graph);
  const name = (file: string): string => relative(resolve(root, '..'), file);
  for (const component of cycles) {
    const path = circleThrough(graph, component).map(name);
    console.error(`import circle of ${component.length} files: ${component.map(name).join(', ')}`);
    console.error(`  for example ${path.join('\n    → ')}`);
  }
  if (cycles.length > 0) {
    console.error(`${cycles.length} import circle(s) in src/`);
    process.exit(1);
  }
  console.log(`no import circle in src/ (${graph.size} files)`);
}

if (require.main === module) main();
