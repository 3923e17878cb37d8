/**
 * `npm run check:sql`: fails when a feature's code names another feature's table, or names its own
 * tables in SQL outside its repository. A table belongs to the feature folder whose entity maps it
 * (`@Entity('deliveries')` in src/deliveries/ → deliveries); a feature is the first folder under src/
 * (integrations/<provider>/ is the integrations feature).
 *
 * Another feature's table (a crossing), anywhere in a feature's code:
 *  - SQL in a string or template literal: a table after FROM, JOIN, UPDATE, INTO, TABLE or USING;
 *  - a piece of another feature's SQL imported to be put in a statement (a name ending in `Sql`);
 *  - TypeORM on another feature's entity class: `@InjectRepository(X)`, `getRepository(X)`, an
 *    entity manager's `update(X, …)`/`find(X, …)`/…, `createQueryBuilder(X, …)`, and the raw-row
 *    helpers that build SQL column lists from an entity (`entityColumns`, `columnsOf`).
 *
 * A feature's own tables, in SQL, only in its repository (`<feature>/<feature>.repository.ts`), its
 * `*.tenant-data.ts` (the tenant's deletion), and the pure statement builders of PURE_BUILDERS (SQL
 * built by plain functions with unit specs beside them). Everywhere else in the feature these fail:
 *  - a string or template literal naming one of its tables (as above);
 *  - a statement (a literal starting SELECT, INSERT, UPDATE, DELETE or WITH) whose table is chosen by
 *    a template expression (`SELECT … FROM ${from}`), in a feature that owns tables;
 *  - importing a pure builder's statement (an export whose SQL names a table, as
 *    `matchingDeliveriesSql`) anywhere but its feature's repository: the repository alone runs it;
 *  - a `query(…)` call inside a pure builder (it builds, the repository runs).
 * `*.work.ts` names no table: its sweep is a function of the repository. TypeORM calls with objects
 * (`find`, `update(…, {…})`) and query builders on a feature's own entity are not SQL literals and
 * are not read; statements on no table (`SELECT pg_advisory_lock($1)`) are not either.
 * Not read: specs, and migrations (outside src/). A table chosen by a template expression
 * (`DELETE FROM ${table}`) cannot be read here; write such SQL out per table instead.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { resolveImport, sourceFiles } from './source-tree';

/**
 * A place where a file of one feature names a table of another, or a table of its own outside its
 * repository (then `owner` is `feature`, and `via` says what put it there).
 */
export interface Crossing {
  file: string;
  line: number;
  feature: string;
  table: string;
  owner: string;
  /** What named it: the SQL keyword, or the TypeORM call. */
  via: string;
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
  for (const file of sourceFiles(root, { specs: false })) {
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

/**
 * The pure statement builders, by path under src/: they build their feature's SQL (with unit specs
 * beside them) and the feature's repository alone runs it.
 */
export const PURE_BUILDERS: readonly string[] = [
  'deliveries/delivery-log-query.ts',
  'events/event-log.ts',
  'webhooks/ingest-batch.ts',
];

/** What a file may do with its own feature's SQL. */
export interface FileRole {
  /** The feature's repository or `*.tenant-data.ts`: its own tables' SQL lives here. */
  ownsSql: boolean;
  /** A pure builder (PURE_BUILDERS): may name its feature's tables, must not run a statement. */
  builder: boolean;
  /** The statements (exports naming a table) of the pure builder a relative import leads to, if it leads to one. */
  builderStatements?: (specifier: string) => { file: string; names: Set<string> } | null;
}

/** The role of `file` (absolute) under `root`, with the pure builders `builders` (paths under root). */
export function roleOf(root: string, file: string, builders: readonly string[] = PURE_BUILDERS): FileRole {
  const path = relative(root, file).split(sep).join('/');
  const feature = featureOf(root, file);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    ownsSql: (name === `${feature}.repository.ts` && path === `${feature}/${name}`) || name.endsWith('.tenant-data.ts'),
    builder: builders.includes(path),
  };
}

/** A statement: a literal that starts with SELECT, INSERT, UPDATE, DELETE or WITH (after an opening parenthesis). */
const STATEMENT = /^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
/** A table after its keyword chosen by a template expression (the literal parts are joined with `${}`). */
const TABLE_BY_EXPRESSION = /\b(FROM|JOIN|UPDATE|INTO|TABLE|USING)\s+\$\{\}/i;

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
  role: FileRole = { ownsSql: true, builder: false },
): Crossing[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Crossing[] = [];
  const own = !role.ownsSql && !role.builder;
  const outside = `${feature}/${feature}.repository.ts`;
  const add = (node: ts.Node, offset: number, table: string, owner: string, via: string, always = false): void => {
    if (feature === owner && !own && !always) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source) + offset);
    found.push({
      file,
      line: line + 1,
      feature,
      table,
      owner,
      via: feature === owner ? `${via}, outside ${outside}` : via,
    });
  };
  const owners = new Set(map.tables.values());
  const sqlIn = (node: ts.Node, literal: string): void => {
    // a common table expression (`WITH tenants AS (…)`) shadows a table of the same name
    const named = new Set([...literal.matchAll(CTE)].map((m) => m[1].toLowerCase()));
    for (const match of literal.matchAll(TABLE_AFTER)) {
      const table = match[2].toLowerCase();
      const owner = map.tables.get(table);
      if (owner !== undefined && !named.has(table)) add(node, 0, table, owner, match[1].toUpperCase());
    }
    if (own && owners.has(feature) && STATEMENT.test(literal)) {
      const match = TABLE_BY_EXPRESSION.exec(literal);
      if (match) add(node, 0, '(a table chosen by an expression)', feature, `${match[1].toUpperCase()} \${…}`);
    }
  };
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
      // a pure builder's statement runs in its feature's repository only
      const statements = role.builderStatements?.(node.moduleSpecifier.text);
      if (statements && !role.ownsSql && !role.builder && bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const name = (element.propertyName ?? element.name).text;
          // a name ending in `Sql` is reported as a piece of SQL above
          if (statements.names.has(name) && !/(Sql|SQL)$/.test(element.name.text))
            add(node, 0, `(statement of ${statements.file})`, feature, `import ${name}`);
        }
      }
      return;
    }
    if (role.builder && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      if (node.expression.name.text === 'query')
        add(node, 0, '(a statement run)', feature, 'query() in a pure builder', true);
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
      // TypeORM on its own entity is not SQL: a feature may use it anywhere
      if (entity && ENTITY_CALLS.has(name) && entity.feature !== feature)
        add(node, 0, entity.table, entity.feature, `${name}(${argument.getText()})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The exports of a pure builder whose SQL names a table of `map` (its statements). */
export function builderStatements(file: string, text: string, map: TableMap): Set<string> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const namesTable = (node: ts.Node): boolean => {
    let literal: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node))
      literal = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ${} ');
    if (literal !== null && [...literal.matchAll(TABLE_AFTER)].some((m) => map.tables.has(m[2].toLowerCase())))
      return true;
    return ts.forEachChild(node, namesTable) ?? false;
  };
  const names = new Set<string>();
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported || !namesTable(statement)) continue;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
      names.add(statement.name.text);
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
  }
  return names;
}

/** Every crossing under `root` (src/), with the pure builders `builders` (paths under root). */
export function sqlCrossings(root: string, builders: readonly string[] = PURE_BUILDERS): Crossing[] {
  const map = tableMap(root);
  const statements = new Map<string, Set<string>>();
  for (const path of builders) {
    const file = join(root, ...path.split('/'));
    try {
      statements.set(resolve(file), builderStatements(file, readFileSync(file, 'utf8'), map));
    } catch {
      // a builder that is not there builds nothing
    }
  }
  return sourceFiles(root, { specs: false }).flatMap((file) => {
    const featureOfImport = (specifier: string): string | null =>
      specifier.startsWith('.') ? featureOf(root, resolve(dirname(file), specifier)) : null;
    const role: FileRole = {
      ...roleOf(root, file, builders),
      builderStatements: (specifier) => {
        const target = resolveImport(file, specifier);
        const names = target === null ? undefined : statements.get(target);
        return target !== null && names ? { file: relative(root, target).split(sep).join('/'), names } : null;
      },
    };
    return crossingsOf(file, readFileSync(file, 'utf8'), featureOf(root, file), map, featureOfImport, role);
  });
}

function main(): void {
  const root = resolve(__dirname, '..', 'src');
  const map = tableMap(root);
  const crossings = sqlCrossings(root);
  const name = (file: string): string => relative(resolve(root, '..'), file);
  for (const c of crossings) {
    const whose = c.owner === c.feature ? 'its own' : `${c.owner}/'s`;
    console.error(`${name(c.file)}:${c.line}: ${c.feature}/ names ${whose} table ${c.table} (${c.via})`);
  }
  if (crossings.length > 0) {
    console.error(
      `${crossings.length} place(s) where a feature's code names another feature's table, or its own outside its repository`,
    );
    process.exit(1);
  }
  console.log(
    `no feature names another feature's table, nor its own outside its repository (${map.tables.size} tables, pure builders: ${PURE_BUILDERS.join(', ')})`,
  );
}

if (require.main === module) main();
