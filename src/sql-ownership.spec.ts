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
  const crossingsOf = (files: Record<string, string>): string[] => {
    const root = mkdtempSync(join(tmpdir(), 'hookhub-sql-'));
    roots.push(root);
    for (const [path, text] of Object.entries({ ...ENTITIES, ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return sqlCrossings(root).map((c) => `${c.file.slice(root.length + 1)}:${c.line} ${c.table} ${c.via}`);
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
        'beta/beta.service.ts': [
          "const own = 'SELECT id FROM beta_rows';",
          'const joined = `SELECT b.id FROM beta_rows b',
          '  JOIN alpha_rows a ON a.id = b.id`;',
          `const quoted = 'DELETE FROM "public"."alpha_rows" WHERE id = $1';`,
          'const lower = `update alpha_rows set id = ${1}`;',
        ].join('\n'),
      }),
    ).toEqual([
      'beta/beta.service.ts:2 alpha_rows JOIN',
      'beta/beta.service.ts:4 alpha_rows FROM',
      'beta/beta.service.ts:5 alpha_rows UPDATE',
    ]);
  });

  it("finds TypeORM used on another feature's entity, and SQL imported from it", () => {
    expect(
      crossingsOf({
        'alpha/alpha-search.ts': "export const alphaIdsSql = 'SELECT id FROM alpha_rows';",
        'beta/beta.worker.ts': [
          "import { alphaIdsSql } from '../alpha/alpha-search';",
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

  it('lets a feature name its own tables anywhere, and reads neither comments, specs nor common table expressions', () => {
    expect(
      crossingsOf({
        'alpha/alpha.work.ts': "export const SWEEP = 'SELECT id FROM alpha_rows';",
        'alpha/alpha.tenant-data.ts': "export const DELETE = 'DELETE FROM alpha_rows WHERE tenant_id = $1';",
        'alpha/alpha.service.ts': [
          '// once read FROM beta_rows, now asked of beta/',
          'const sql = `WITH beta_rows AS (SELECT id FROM alpha_rows) SELECT id FROM beta_rows`;',
        ].join('\n'),
        'alpha/alpha.service.spec.ts': "const fixture = 'INSERT INTO beta_rows (id) VALUES (1)';",
      }),
    ).toEqual([]);
  });

  it("finds another feature's table in a feature's work and tenant-data files too", () => {
    expect(
      crossingsOf({
        'alpha/alpha.work.ts': "export const SWEEP = 'SELECT a.id FROM alpha_rows a JOIN beta_rows b ON b.id = a.id';",
        'alpha/alpha.tenant-data.ts': "export const DELETE = 'DELETE FROM beta_rows WHERE tenant_id = $1';",
      }),
    ).toEqual(['alpha/alpha.tenant-data.ts:1 beta_rows FROM', 'alpha/alpha.work.ts:1 beta_rows JOIN']);
  });
});
