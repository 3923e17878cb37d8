import {
  buildExistingLookup,
  buildInsert,
  dedupIdentity,
  InboundRow,
  planBatch,
  resolveOutcomes,
} from './ingest-batch';
import type { Settled } from '../common/write-batcher';

const SOURCE_A = 'src_01jd000000000000000000000a';
const SOURCE_B = 'src_01jd000000000000000000000b';

function row(id: string, sourceId: string, dedupKey: string): InboundRow {
  return {
    id,
    tenantId: 'ten_1',
    sourceId,
    provider: 'generic',
    kind: null,
    dedupKey,
    maxRetries: 3,
    headers: { 'content-type': 'application/json' },
    payload: [{ a: 1 }],
    contentType: 'json',
    traceId: 'trace',
  };
}

describe('planBatch', () => {
  it('keeps the first row of each (source, dedup key) and points the repeats at it', () => {
    const plan = planBatch([
      row('in_1', SOURCE_A, 'k1'),
      row('in_2', SOURCE_A, 'k2'),
      row('in_3', SOURCE_A, 'k1'),
      row('in_4', SOURCE_B, 'k1'),
      row('in_5', SOURCE_A, 'k2'),
    ]);
    expect(plan).toEqual({ leaders: [0, 1, 3], leaderOf: [0, 1, 0, 3, 1] });
  });

  it('compares keys as PostgreSQL stores them (a lone surrogate becomes U+FFFD)', () => {
    expect(dedupIdentity(SOURCE_A, 'a\ud800b')).toBe(dedupIdentity(SOURCE_A, 'a\ufffdb'));
    expect(dedupIdentity(SOURCE_A, 'a\ud800b')).toBe(dedupIdentity(SOURCE_A, 'a\udc00b'));
    expect(dedupIdentity(SOURCE_A, '\ud83d\ude00')).not.toBe(dedupIdentity(SOURCE_A, '\ufffd\ufffd'));
    const plan = planBatch([row('in_1', SOURCE_A, 'a\ud800b'), row('in_2', SOURCE_A, 'a\ufffdb')]);
    expect(plan.leaderOf).toEqual([0, 0]);
  });

  it('does not confuse keys that only look alike once joined', () => {
    const plan = planBatch([row('in_1', SOURCE_A, 'x y'), row('in_2', SOURCE_A, 'x  y'), row('in_3', SOURCE_B, 'x y')]);
    expect(plan.leaders).toEqual([0, 1, 2]);
  });
});

describe('buildInsert', () => {
  it('numbers the parameters row by row and serialises headers and payload as JSON', () => {
    const { sql, params } = buildInsert([row('in_1', SOURCE_A, 'k1'), row('in_2', SOURCE_B, 'k2')]);
    expect(params).toHaveLength(22);
    expect(params.slice(0, 11)).toEqual([
      'in_1',
      'ten_1',
      SOURCE_A,
      'generic',
      null,
      'k1',
      3,
      '{"content-type":"application/json"}',
      '[{"a":1}]',
      'json',
      'trace',
    ]);
    expect(sql).toContain(
      "VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8::jsonb, $9::json, $10, $11, now()), ($12, $13,",
    );
    expect(sql).toContain('$22, now())');
    expect(sql).toMatch(/ON CONFLICT \(source_id, dedup_key\) DO NOTHING RETURNING id$/);
    expect(sql).toMatch(
      /^INSERT INTO inbound_events \(id, tenant_id, source_id, provider, kind, dedup_key, status, retry_count, max_retries, headers, payload, content_type, trace_id, next_retry_at\)/,
    );
  });

  it('looks existing keys up as (source_id, dedup_key) pairs', () => {
    expect(buildExistingLookup([row('in_1', SOURCE_A, 'k1'), row('in_2', SOURCE_B, 'k2')])).toEqual({
      sql: 'SELECT id, source_id, dedup_key FROM inbound_events WHERE (source_id, dedup_key) IN (($1, $2), ($3, $4))',
      params: [SOURCE_A, 'k1', SOURCE_B, 'k2'],
    });
  });
});

describe('resolveOutcomes', () => {
  const rows = [
    row('in_1', SOURCE_A, 'new'),
    row('in_2', SOURCE_A, 'old'),
    row('in_3', SOURCE_A, 'new'),
    row('in_4', SOURCE_A, 'old'),
    row('in_5', SOURCE_B, 'new'),
  ];
  const plan = planBatch(rows);
  const inserted = new Set(['in_1', 'in_5']);

  it('finds a stored key whose text PostgreSQL changed (lone surrogate) as a duplicate', () => {
    const odd = [row('in_7', SOURCE_A, '\ud800')];
    const existing = new Map([[`${SOURCE_A} \ufffd`, 'in_6']]);
    expect(resolveOutcomes(odd, planBatch(odd), new Set(), existing)).toEqual([
      { ok: true, value: { inboundEventId: 'in_6', duplicate: true } },
    ]);
  });

  it('answers stored rows with their id, and repeats and earlier events as duplicates of the first id', () => {
    const existing = new Map([[dedupIdentity(SOURCE_A, 'old'), 'in_0']]);
    expect(resolveOutcomes(rows, plan, inserted, existing)).toEqual([
      { ok: true, value: { inboundEventId: 'in_1', duplicate: false } },
      { ok: true, value: { inboundEventId: 'in_0', duplicate: true } },
      { ok: true, value: { inboundEventId: 'in_1', duplicate: true } },
      { ok: true, value: { inboundEventId: 'in_0', duplicate: true } },
      { ok: true, value: { inboundEventId: 'in_5', duplicate: false } },
    ]);
  });

  it('fails only the duplicates when their lookup failed', () => {
    const error = new Error('lookup failed');
    const outcomes = resolveOutcomes(rows, plan, inserted, { error });
    expect(outcomes.map((o: Settled<unknown>) => (o.ok ? 'ok' : (o.error as Error).message))).toEqual([
      'ok',
      'lookup failed',
      'ok',
      'lookup failed',
      'ok',
    ]);
  });

  it('fails a row that was neither stored nor found (it was deleted in between)', () => {
    const outcomes = resolveOutcomes(rows, plan, inserted, new Map());
    expect(outcomes[1].ok).toBe(false);
    expect(outcomes[3].ok).toBe(false);
    expect(outcomes[0].ok).toBe(true);
  });
});
