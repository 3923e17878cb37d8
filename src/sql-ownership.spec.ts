import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sqlCrossings, tableMap } from '../scripts/sql-ownership';

/** Two features, each with one table: alpha/ owns `alpha_rows` (class AlphaRow), beta/ owns `beta_rows`. */
const ENTITIES = {
  'alpha/alpha-row.entity.ts': "@Entity('alpha_rows')\nexport class AlphaRow { id: string; }",
  'beta/beta-row.entity.ts':
    "@Entity('beta_rows', { schema: 'public' })\n@Index(['id'])\nexport class BetaRow { id: string; }",
};

describe('SQL ownership (npm run check:sql)', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  /** The crossings of a throw-away tree (the two features' entities plus `files`), as `file:line table via`. */
  const crossingsOf = (files: Record<string, string>, builders: string[] = []): string[] => {
    const root = mkdtempSync(join(tmpdir(), 'hookhub-sql-'));
    roots.push(root);
    for (const [path, text] of Object.entries({ ...ENTITIES, ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return sqlCrossings(root, builders).map((c) => `${c.file.slice(root.length + 1)}:${c.line} ${c.table} ${c.via}`);
  };

  it('finds none in src/, and knows every table of its entities', () => {
    expect(sqlCrossings(__dirname)).toEqual([]);
    const { tables } = tableMap(__dirname);
    expect(tables.get('deliveries')).toBe('deliveries');
    expect(tables.get('inbound_events')).toBe('webhooks');
    expect(tables.get('notification_rules')).toBe('notifications');
    expect(tables.size).toBe(11);
  });

  it("finds another feature's table in SQL, however it is quoted or joined", () => {
    expect(
      crossingsOf({
        'beta/beta.repository.ts': [
          "const own = 'SELECT id FROM beta_rows';",
          'const joined = `SELECT b.id FROM beta_rows b',
          '  JOIN alpha_rows a ON a.id = b.id`;',
          `const quoted = 'DELETE FROM "public"."alpha_rows" WHERE id = $1';`,
          'const lower = `update alpha_rows set id = ${1}`;',
        ].join('\n'),
      }),
    ).toEqual([
      'beta/beta.repository.ts:2 alpha_rows JOIN',
      'beta/beta.repository.ts:4 alpha_rows FROM',
      'beta/beta.repository.ts:5 alpha_rows UPDATE',
    ]);
  });

  it("finds TypeORM used on another feature's entity, and SQL imported from it", () => {
    expect(
      crossingsOf({
        'alpha/alpha.repository.ts': "export const alphaIdsSql = 'SELECT id FROM alpha_rows';",
        'beta/beta.worker.ts': [
          "import { alphaIdsSql } from '../alpha/alpha.repository';",
          'class W {',
          '  constructor(@InjectRepository(AlphaRow) private readonly rows: Repository<AlphaRow>) {}',
          '  columns = entityColumns(this.dataSource, AlphaRow, "a", "a_");',
          '  run(manager: EntityManager) { return manager.update(AlphaRow, { id: 1 }, { id: 2 }); }',
          '  own(manager: EntityManager) { return manager.update(BetaRow, { id: 1 }, { id: 2 }); }',
          '}',
        ].join('\n'),
      }),
    ).toEqual([
      'beta/beta.worker.ts:1 (SQL of alpha/) import alphaIdsSql',
      'beta/beta.worker.ts:3 alpha_rows InjectRepository(AlphaRow)',
      'beta/beta.worker.ts:4 alpha_rows entityColumns(AlphaRow)',
      'beta/beta.worker.ts:5 alpha_rows update(AlphaRow)',
    ]);
  });

  it('lets a feature name its own tables in its repository and tenant data, and reads neither comments, specs nor common table expressions', () => {
    expect(
      crossingsOf({
        'alpha/alpha.repository.ts': [
          "export const SWEEP = 'SELECT id FROM alpha_rows';",
          'const sql = `WITH beta_rows AS (SELECT id FROM alpha_rows) SELECT id FROM beta_rows`;',
        ].join('\n'),
        'alpha/alpha.tenant-data.ts': "export const DELETE = 'DELETE FROM alpha_rows WHERE tenant_id = $1';",
        'alpha/alpha.service.ts': [
          '// once read FROM beta_rows and FROM alpha_rows, now asked of the repositories',
          "const lock = 'SELECT pg_advisory_lock($1)';",
          "const where = 'a.tenant_id = :tenantId';",
          'run(manager: EntityManager) { return manager.update(AlphaRow, { id: 1 }, { id: 2 }); }',
        ].join('\n'),
        'alpha/alpha.service.spec.ts': "const fixture = 'INSERT INTO beta_rows (id) VALUES (1)';",
      }),
    ).toEqual([]);
  });

  it("finds a feature's own table in SQL outside its repository: a service, a work file, a repository of another name", () => {
    expect(
      crossingsOf({
        'alpha/alpha.service.ts': [
          "const claim = `UPDATE alpha_rows SET status = 'sending' WHERE id = $1`;",
          "const notTaken = 'NOT EXISTS (SELECT 1 FROM alpha_rows r WHERE r.id = a.id)';",
          'const page = `SELECT a.id FROM ${from} ORDER BY a.id`;',
        ].join('\n'),
        'alpha/alpha.work.ts': "export const SWEEP = 'SELECT id FROM alpha_rows';",
        'alpha/sub/alpha.repository.ts': "export const ROWS = 'SELECT id FROM alpha_rows';",
        'alpha/alpha-extra.repository.ts': "export const ROWS = 'SELECT id FROM alpha_rows';",
      }),
    ).toEqual([
      'alpha/alpha-extra.repository.ts:1 alpha_rows FROM, outside alpha/alpha.repository.ts',
      'alpha/alpha.service.ts:1 alpha_rows UPDATE, outside alpha/alpha.repository.ts',
      'alpha/alpha.service.ts:2 alpha_rows FROM, outside alpha/alpha.repository.ts',
      'alpha/alpha.service.ts:3 (a table chosen by an expression) FROM ${…}, outside alpha/alpha.repository.ts',
      'alpha/alpha.work.ts:1 alpha_rows FROM, outside alpha/alpha.repository.ts',
      'alpha/sub/alpha.repository.ts:1 alpha_rows FROM, outside alpha/alpha.repository.ts',
    ]);
  });

  it("lets a pure builder build its feature's statements for the repository alone to run", () => {
    const builder = [
      "export const ORDER = 'ORDER BY a.created_at DESC';",
      'export function alphaPage(limit: number) { return { sql: `SELECT a.* FROM alpha_rows a LIMIT ${limit}`, params: [] }; }',
      'export function rowsSql() { return `(SELECT a.* FROM alpha_rows a)`; }',
    ].join('\n');
    expect(
      crossingsOf(
        {
          'alpha/alpha-query.ts': builder,
          'alpha/alpha.repository.ts': [
            "import { alphaPage, ORDER, rowsSql } from './alpha-query';",
            'export const run = (db: DataSource) => db.query(alphaPage(10).sql);',
          ].join('\n'),
          'alpha/alpha-query.spec.ts': "import { alphaPage } from './alpha-query';",
          'alpha/alpha.service.ts': "import { ORDER } from './alpha-query';",
        },
        ['alpha/alpha-query.ts'],
      ),
    ).toEqual([]);
    expect(
      crossingsOf(
        {
          'alpha/alpha-query.ts': `${builder}\nexport const run = (db: DataSource) => db.query(alphaPage(1).sql);`,
          'alpha/alpha.service.ts': [
            "import { alphaPage, ORDER, rowsSql as rows } from './alpha-query';",
            'export const list = (db: DataSource) => db.query(alphaPage(10).sql);',
          ].join('\n'),
        },
        ['alpha/alpha-query.ts'],
      ),
    ).toEqual([
      'alpha/alpha-query.ts:4 (a statement run) query() in a pure builder, outside alpha/alpha.repository.ts',
      'alpha/alpha.service.ts:1 (statement of alpha/alpha-query.ts) import alphaPage, outside alpha/alpha.repository.ts',
      'alpha/alpha.service.ts:1 (statement of alpha/alpha-query.ts) import rowsSql, outside alpha/alpha.repository.ts',
    ]);
  });

  it('finds a builder that is not in the list like any other file', () => {
    expect(crossingsOf({ 'alpha/alpha-query.ts': "export const Q = 'SELECT id FROM alpha_rows';" })).toEqual([
      'alpha/alpha-query.ts:1 alpha_rows FROM, outside alpha/alpha.repository.ts',
    ]);
  });

  it("finds another feature's table in a feature's repository and tenant-data files too", () => {
    expect(
      crossingsOf({
        'alpha/alpha.repository.ts':
          "export const SWEEP = 'SELECT a.id FROM alpha_rows a JOIN beta_rows b ON b.id = a.id';",
        'alpha/alpha.tenant-data.ts': "export const DELETE = 'DELETE FROM beta_rows WHERE tenant_id = $1';",
      }),
    ).toEqual(['alpha/alpha.repository.ts:1 beta_rows JOIN', 'alpha/alpha.tenant-data.ts:1 beta_rows FROM']);
  });
});
