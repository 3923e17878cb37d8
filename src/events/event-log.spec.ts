import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ListEventsQuery } from './dto/event.dto';
import { encodeCursor } from '../common/pagination';
import { EventLogFilter, eventLogFilterOf, eventLogQuery, eventTypeCondition, likeLiteral } from './event-log';

const TENANT = 'ten_01jd8x4m2k7q9w3e5r6t8y0u1i';
const position = { at: '2025-01-09T12:00:05.123456Z', id: 'evt_01jd8x4m2k7q9w3e5r6t8y0u1i' };

function problems(query: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(ListEventsQuery, query), { whitelist: true, forbidNonWhitelisted: true }).map(
    (e) => e.property,
  );
}

describe('ListEventsQuery', () => {
  it.each([
    [{}, []],
    [{ event_type: 'deal.won' }, []],
    [{ event_type: 'deal.*' }, []],
    [{ event_type: '*' }, []],
    [{ event_type: 'Deal.Won' }, ['event_type']],
    [{ event_type: 'deal.*.won' }, ['event_type']],
    [{ event_type: 'deal%' }, ['event_type']],
    [{ entity_key: 'crm:acme:deal:42' }, []],
    [{ entity_key: '' }, ['entity_key']],
    [{ entity_key: 'x'.repeat(301) }, ['entity_key']],
    [{ source_id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i' }, []],
    [{ source_id: 'wh_01jd8x4m2k7q9w3e5r6t8y0u1i' }, ['source_id']],
    [{ since: '2025-01-09T00:00:00Z', until: '2025-01-10' }, []],
    [{ since: 'yesterday' }, ['since']],
    [{ since: '2025-01-10T00:00:00Z', until: '2025-01-09T23:59:59Z' }, ['until']],
    [{ since: '2025-01-10T00:00:00Z', until: '2025-01-10T00:00:00Z' }, []],
    [{ until: '2025-02-30T00:00:00Z' }, ['until']],
    [{ q: 'Jane' }, []],
    [{ q: 'x'.repeat(200) }, []],
    [{ q: 'x'.repeat(201) }, ['q']],
    [{ q: '' }, ['q']],
    [{ limit: '100' }, []],
    [{ limit: '101' }, ['limit']],
    [{ limit: '0' }, ['limit']],
    [{ cursor: encodeCursor(position) }, []],
    [{ cursor: 'garbage' }, ['cursor']],
    [{ offset: '20' }, ['offset']],
  ])('%p → problems with %p', (query, expected) => {
    expect(problems(query)).toEqual(expected);
  });
});

describe('eventLogFilterOf', () => {
  it('defaults to 20 events from the newest', () => {
    expect(eventLogFilterOf({})).toMatchObject({ limit: 20, after: null });
  });

  it('reads the cursor and the times', () => {
    const filter = eventLogFilterOf({
      cursor: encodeCursor(position),
      since: '2025-01-09T00:00:00Z',
      until: '2025-01-09T00:00:00Z',
    });
    expect(filter.after).toEqual(position);
    expect(filter.since?.toISOString()).toBe('2025-01-09T00:00:00.000Z');
  });
});

describe('eventTypeCondition', () => {
  it.each([
    ['*', null],
    ['deal.won', { op: '=', value: 'deal.won' }],
    ['deal.*', { op: 'LIKE', value: 'deal.%' }],
    ['lead.status_changed.*', { op: 'LIKE', value: 'lead.status\\_changed.%' }],
  ])('%s → %p', (pattern, expected) => {
    expect(eventTypeCondition(pattern)).toEqual(expected);
  });
});

describe('likeLiteral', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(likeLiteral('100%_off\\')).toBe('100\\%\\_off\\\\');
  });
});

describe('eventLogQuery', () => {
  const base: EventLogFilter = { limit: 20, after: null };

  it('reads one row more than the page, newest first, for the tenant only', () => {
    const { sql, params } = eventLogQuery(TENANT, base);
    expect(sql.replace(/\s+/g, ' ')).toMatch(
      /WHERE e\.tenant_id = \$1 ORDER BY e\.created_at DESC, e\.id DESC LIMIT \$2$/,
    );
    expect(params).toEqual([TENANT, 21]);
  });

  it('combines every filter with AND, each value a parameter', () => {
    const { sql, params } = eventLogQuery(TENANT, {
      eventType: 'deal.*',
      entityKey: "crm:acme:deal:42'",
      sourceId: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i',
      since: new Date('2025-01-01T00:00:00Z'),
      until: new Date('2025-02-01T00:00:00Z'),
      q: '50%',
      limit: 5,
      after: position,
    });
    const where = sql.slice(sql.indexOf('WHERE'), sql.indexOf('ORDER BY')).replace(/\s+/g, ' ').trim();
    expect(where).toBe(
      'WHERE e.tenant_id = $1 AND e.event_type LIKE $2 AND e.entity_key = $3 AND e.source_id = $4 ' +
        'AND e.created_at >= $5 AND e.created_at < $6 AND e.data::text ILIKE $7 ' +
        'AND (e.created_at, e.id) < ($8::timestamptz, $9)',
    );
    expect(params).toEqual([
      TENANT,
      'deal.%',
      "crm:acme:deal:42'",
      'src_01jd8x4m2k7q9w3e5r6t8y0u1i',
      new Date('2025-01-01T00:00:00Z'),
      new Date('2025-02-01T00:00:00Z'),
      '%50\\%%',
      position.at,
      position.id,
      6,
    ]);
  });

  it('adds no type condition for *', () => {
    expect(eventLogQuery(TENANT, { ...base, eventType: '*' }).sql).not.toContain('event_type LIKE');
    expect(eventLogQuery(TENANT, { ...base, eventType: '*' }).params).toEqual([TENANT, 21]);
  });
});
