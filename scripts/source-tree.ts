/** What the source checks (check:imports, check:sql) share: the files of src/ and where a relative import leads. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Every .ts file under `dir` (not declarations), absolute paths; specs too unless `specs` is false. */
export function sourceFiles(dir: string, options: { specs?: boolean } = {}): string[] {
  const specs = options.specs ?? true;
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, options);
    const code = name.endsWith('.ts') && !name.endsWith('.d.ts') && (specs || !/\.(e2e-)?spec\.ts$/.test(name));
    return code ? [path] : [];
  });
}

/** The file a relative specifier names (`./x` → x.ts or x/index.ts), or null for packages and other files. */
export function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}
