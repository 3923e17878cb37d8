import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { circleThrough, importCycles, importGraph } from '../scripts/import-cycles';

/** A throw-away source tree: file path → text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hookhub-imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import circles (npm run check:imports)', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const cyclesOf = (files: Record<string, string>): string[][] => {
    const root = tree(files);
    roots.push(root);
    return importCycles(importGraph(root)).map((c) => c.map((file) => file.slice(root.length + 1)));
  };

  it('finds none in src/', () => {
    expect(importCycles(importGraph(join(__dirname)))).toEqual([]);
  });

  it('finds a circle through an index file, a type-only import and a lazy require', () => {
    expect(
      cyclesOf({
        'a.ts': "import type { B } from './b';\nexport type A = B;",
        'b/index.ts': "export { c } from '../c';\nexport type B = string;",
        'c.ts': "export const c = () => require('./a');",
        'd.ts': "import { c } from './c';\nexport const d = c;",
      }),
    ).toEqual([['a.ts', 'b/index.ts', 'c.ts']]);
  });

  it('finds a file importing itself, and none in a tree without circles', () => {
    expect(cyclesOf({ 'a.ts': "import { a as b } from './a';\nexport const a = 1;\nvoid b;" })).toEqual([['a.ts']]);
    expect(
      cyclesOf({ 'a.ts': "import { b } from './b';\nexport const a = b;", 'b.ts': 'export const b = 1;' }),
    ).toEqual([]);
  });

  it('shows one circle of a component as a path back to its first file', () => {
    const root = tree({ 'a.ts': "import './b';", 'b.ts': "import './c';", 'c.ts': "import './a';" });
    roots.push(root);
    const graph = importGraph(root);
    const [component] = importCycles(graph);
    expect(circleThrough(graph, component).map((file) => file.slice(root.length + 1))).toEqual([
      'a.ts',
      'b.ts',
      'c.ts',
      'a.ts',
    ]);
  });
});
