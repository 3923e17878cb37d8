/**
 * `npm run check:sql`: fails when a feature's code names another feature's table. A table belongs to
 * the feature folder whose entity maps it (`@Entity('deliveries')` in src/deliveries/ → deliveries);
 * a feature is the first folder under src/ (integrations/<provider>/ is the integrations feature).
 * What counts as naming a table:
 *  - SQL in a string or template literal: a table after FROM, JOIN, UPDATE, INTO, TABLE or USING;
 *  - a piece of another feature's SQL imported to be put in a statement (a name ending in `Sql`);
 *  - TypeORM on another feature's entity class: `@InjectRepository(X)`, `getRepository(X)`, an
 *    entity manager's `update(X, …)`/`find(X, …)`/…, `createQueryBuilder(X, …)`, and the raw-row
 *    helpers that build SQL column lists from an entity (`entityColumns`, `columnsOf`).
 * Not read: specs, and migrations (outside src/). A feature's `*.tenant-data.ts` and `*.work.ts` are
 * its own SQL like its repository: they may name its tables, no other. A table chosen by a template
 * expression (`DELETE FROM ${table}`) cannot be read here; write such SQL out per table instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/** A place where a file of one feature names a table of another. */
export interface Crossing {
  file: string;
  line: number;
  feature: string;
  table: string;
  owner: string;
  /** What named it: the SQL keyword, or the TypeORM call. */
  via: string;
}

/** Every .ts file under `dir` that is not a spec or a declaration, absolute paths. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    const code = name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(e2e-)?spec\.ts$/.test(name);
    return code ? [path] : [];
  });
}

/** The feature of a file under `root`: the first folder, or '' for a file directly in `root`. */
export function featureOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/** The tables of the tree and the entity classes that map them, each with its feature. */
export interface TableMap {
  tables: Map<string, string>;
  entities: Map<string, { table: string; feature: string }>;
}

/** Reads `@Entity('name') export class X` from every file of the tree. */
export function tableMap(root: string): TableMap {
  const map: TableMap = { tables: new Map(), entities: new Map() };
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const entity = /@Entity\(\s*'([a-z_][a-z0-9_]*)'[^)]*\)[\s\S]*?export class (\w+)/g;
    for (const [, table, cls] of text.matchAll(entity)) {
      const feature = featureOf(root, file);
      map.tables.set(table, feature);
      map.entities.set(cls, { table, feature });
    }
  }
  return map;
}

/** SQL keywords after which a table name follows (quoted or not, schema-qualified or not). */
const TABLE_AFTER = /\b(FROM|JOIN|UPDATE|INTO|TABLE|USING)\s+(?:ONLY\s+)?(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?/gi;
/** `name AS (` of a common table expression. */
const CTE = /\b([a-z_][a-z0-9_]*)\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi;
/** Calls whose first argument is an entity class standing for its table. */
const ENTITY_CALLS = new Set([
  'InjectRepository',
  'getRepository',
  'createQueryBuilder',
  'entityColumns',
  'columnsOf',
  'update',
  'insert',
  'delete',
  'save',
  'remove',
  'softDelete',
  'restore',
  'upsert',
  'increment',
  'decrement',
  'find',
  'findBy',
  'findOne',
  'findOneBy',
  'findAndCount',
  'count',
  'countBy',
  'exists',
  'existsBy',
]);

/** The calls of ENTITY_CALLS whose entity is their second argument. */
const ENTITY_SECOND = new Set(['entityColumns', 'columnsOf']);

/** May a file of `feature` name a table of `owner`? Its own tables only; the exempt files likewise. */
function allowed(feature: string, owner: string): boolean {
  return feature === owner;
}

/**
 * The crossings of one file's text. `featureOfImport` answers the feature a relative import leads
 * to: a piece of SQL imported from a feature with tables (a name ending in `Sql`, as
 * `eventIdsMatchingSql`) would put its tables in this file's statements.
 */
export function crossingsOf(
  file: string,
  text: string,
  feature: string,
  map: TableMap,
  featureOfImport: (specifier: string) => string | null = () => null,
): Crossing[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Crossing[] = [];
  const add = (node: ts.Node, offset: number, table: string, owner: string, via: string): void => {
    if (allowed(feature, owner)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source) + offset);
    found.push({ file, line: line + 1, feature, table, owner, via });
  };
  const sqlIn = (node: ts.Node, literal: string): void => {
    // a common table expression (`WITH tenants AS (…)`) shadows a table of the same name
    const named = new Set([...literal.matchAll(CTE)].map((m) => m[1].toLowerCase()));
    for (const match of literal.matchAll(TABLE_AFTER)) {
      const table = match[2].toLowerCase();
      const owner = map.tables.get(table);
      if (owner !== undefined && !named.has(table)) add(node, 0, table, owner, match[1].toUpperCase());
    }
  };
  const owners = new Set(map.tables.values());
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const owner = featureOfImport(node.moduleSpecifier.text);
      const bindings = node.importClause?.namedBindings;
      if (owner !== null && owners.has(owner) && bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          if (/(Sql|SQL)$/.test(element.name.text))
            add(node, 0, `(SQL of ${owner}/)`, owner, `import ${element.name.text}`);
        }
      }
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) sqlIn(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      // the literal parts, joined so that a keyword and its table split by an expression are not read together
      sqlIn(node, [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ${} '));
    } else if (ts.isCallExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : '';
      // the raw-row helpers take the data source first, then the entity
      const argument = node.arguments[ENTITY_SECOND.has(name) ? 1 : 0];
      const entity = argument && ts.isIdentifier(argument) ? map.entities.get(argument.text) : undefined;
      if (entity && ENTITY_CALLS.has(name))
        add(node, 0, entity.table, entity.feature, `${name}(${argument.getText()})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every crossing under `root` (src/). */
export function sqlCrossings(root: string): Crossing[] {
  const map = tableMap(root);
  return sourceFiles(root).flatMap((file) => {
    const featureOfImport = (specifier: string): string | null =>
      specifier.startsWith('.') ? featureOf(root, resolve(dirname(file), specifier)) : null;
    return crossingsOf(file, readFileSync(file, 'utf8'), featureOf(root, file), map, featureOfImport);
  });
}

function main(): void {
  const root = resolve(__dirname, '..', 'src');
  const map = tableMap(root);
  const crossings = sqlCrossings(root);
  const name = (file: string): string => relative(resolve(root, '..'), file);
  for (const c of crossings) {
    console.error(`${name(c.file)}:${c.line}: ${c.feature}/ names ${c.owner}/'s table ${c.table} (${c.via})`);
  }
  if (crossings.length > 0) {
    console.error(`${crossings.length} place(s) where a feature's code names another feature's table`);
    process.exit(1);
  }
  console.log(`no feature names another feature's table (${map.tables.size} tables)`);
}

if (require.main === module) main();
