import { backlogSql } from './backlog';

describe('backlogSql', () => {
  const deliveries = {
    kind: 'deliveries',
    table: 'deliveries',
    dueColumn: 'next_attempt_at',
    waiting: ['queued'],
  } as const;

  it('reads every table in one statement, each count stopped at $1', () => {
    const sql = backlogSql([deliveries, { ...deliveries, kind: 'inbound', table: 'inbound_events' }]);
    expect(sql.split(' UNION ALL ')).toHaveLength(2);
    expect(sql.match(/LIMIT \$1/g)).toHaveLength(4);
    expect(sql).toContain("status IN ('queued')");
  });

  it('refuses a name that is not a plain SQL word', () => {
    expect(() => backlogSql([{ ...deliveries, table: 'deliveries; DROP TABLE x' }])).toThrow(/not a plain SQL name/);
    expect(() => backlogSql([{ ...deliveries, waiting: ["queued') OR ('1"] }])).toThrow(/not a plain SQL name/);
  });
});
