import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../common/validation';
import {
  eventTypeCondition,
  filterConditions,
  isEmptyFilter,
  matchingDeliveriesSql,
  parseFilter,
  SqlParams,
  statusesOf,
} from './delivery-log-query';
import { DeliveryLogFilterDto, ListDeliveryLogQuery, RetryMatchingDto } from './dto/delivery-log.dto';

function problems(cls: new () => object, given: Record<string, unknown>): { field?: string; message: string }[] {
  return flattenValidationErrors(
    validateSync(plainToInstance(cls, given), { forbidNonWhitelisted: true, whitelist: true }),
  );
}

function fields(cls: new () => object, given: Record<string, unknown>): string[] {
  return [...new Set(problems(cls, given).map((p) => p.field ?? ''))];
}

describe('the delivery log query string', () => {
  it.each([
    [{}],
    [{ webhook_id: 'wh_01jd8x4m2k7q9w3e5r6t8y0u1i', status: 'failed', event_type: 'deal.*' }],
    [{ event_type: '*' }],
    [{ event_type: 'lead.status_changed', event_id: 'evt_01jd8x4m2k7q9w3e5r6t8y0u1i' }],
    [{ http_status: '100' }],
    [{ http_status: '599' }],
    [{ since: '2025-01-09T00:00:00Z', until: '2025-01-09T00:00:00Z' }],
    [{ since: '2025-01-09', until: '2025-01-10T12:00:00.123Z' }],
    [{ q: 'x'.repeat(200) }],
    [{ limit: '100', cursor: 'MjAyNS0wMS0wOVQxMjowMDowNS4xMjM0NTZaIGRsdl8wMWpkOHg0bTJrN3E5dzNlNXI2dDh5MHUxaQ' }],
  ])('accepts %p', (query) => {
    expect(problems(ListDeliveryLogQuery, query)).toEqual([]);
  });

  it.each([
    [{ status: 'bogus' }, 'status'],
    [{ status: 'FAILED' }, 'status'],
    [{ webhook_id: 'dlv_01jd8x4m2k7q9w3e5r6t8y0u1i' }, 'webhook_id'],
    [{ event_id: 'wh_1' }, 'event_id'],
    [{ event_type: 'Deal.Won' }, 'event_type'],
    [{ event_type: 'deal.*.won' }, 'event_type'],
    [{ event_type: '*.won' }, 'event_type'],
    [{ http_status: '99' }, 'http_status'],
    [{ http_status: '600' }, 'http_status'],
    [{ http_status: '2xx' }, 'http_status'],
    [{ since: 'yesterday' }, 'since'],
    [{ until: '2025-13-01T00:00:00Z' }, 'until'],
    [{ since: '2025-01-10T00:00:00Z', until: '2025-01-09T23:59:59Z' }, 'until'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ q: '' }, 'q'],
    [{ q: ['a', 'b'] }, 'q'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ cursor: 'not a cursor' }, 'cursor'],
    [{ offset: '20' }, 'offset'],
  ])('refuses %p naming %s', (query, field) => {
    expect(fields(ListDeliveryLogQuery, query)).toEqual([field]);
  });

  it('names every allowed status when refusing one', () => {
    expect(problems(ListDeliveryLogQuery, { status: 'failing' })).toEqual([
      { field: 'status', message: 'status must be one of queued, sending, success, retrying, dead, cancelled, failed' },
    ]);
  });

  it('refuses since after until in one sentence', () => {
    expect(problems(ListDeliveryLogQuery, { since: '2025-01-10', until: '2025-01-09' })).toEqual([
      { field: 'until', message: 'until must not be earlier than since' },
    ]);
  });
});

describe('the filter of a bulk retry', () => {
  it('takes the log filter as a JSON object, numbers as numbers', () => {
    expect(problems(RetryMatchingDto, { filter: { status: 'dead', http_status: 503 } })).toEqual([]);
  });

  it.each([
    [{}, 'filter'],
    [{ filter: [] }, 'filter'],
    [{ filter: 'dead' }, 'filter'],
    [{ filter: { http_status: 42 } }, 'filter.http_status'],
    [{ filter: { status: 'everything' } }, 'filter.status'],
    [{ filter: { limit: 5 } }, 'filter.limit'],
    [{ filter: { since: '2025-01-10', until: '2025-01-09' } }, 'filter.until'],
  ])('refuses %p naming %s', (body, field) => {
    expect(fields(RetryMatchingDto, body)).toContain(field);
  });
});

describe('parseFilter', () => {
  it('turns the fields into a filter, failed into retrying or dead', () => {
    const dto = plainToInstance(DeliveryLogFilterDto, {
      webhook_id: 'wh_1',
      status: 'failed',
      event_type: 'deal.*',
      event_id: 'evt_1',
      http_status: '503',
      since: '2025-01-09T00:00:00Z',
      until: '2025-01-10T00:00:00Z',
      q: 'Jane',
    });
    expect(parseFilter(dto)).toEqual({
      webhookId: 'wh_1',
      statuses: ['retrying', 'dead'],
      eventType: 'deal.*',
      eventId: 'evt_1',
      httpStatus: 503,
      since: new Date('2025-01-09T00:00:00Z'),
      until: new Date('2025-01-10T00:00:00Z'),
      q: 'Jane',
    });
  });

  it('leaves out what is not given', () => {
    expect(parseFilter(plainToInstance(DeliveryLogFilterDto, {}))).toEqual({
      webhookId: undefined,
      statuses: undefined,
      eventType: undefined,
      eventId: undefined,
      httpStatus: undefined,
      since: undefined,
      until: undefined,
      q: undefined,
    });
  });

  it('knows an empty filter', () => {
    expect(isEmptyFilter(plainToInstance(DeliveryLogFilterDto, {}))).toBe(true);
    expect(isEmptyFilter(plainToInstance(DeliveryLogFilterDto, { status: 'dead' }))).toBe(false);
  });

  it.each([
    [undefined, undefined],
    ['dead', ['dead']],
    ['failed', ['retrying', 'dead']],
  ] as const)('statusesOf(%p) is %p', (status, statuses) => {
    expect(statusesOf(status)).toEqual(statuses);
  });
});

describe('the SQL of a filter', () => {
  it('compares an exact event type in byte order', () => {
    const params = new SqlParams();
    expect(eventTypeCondition('deal.won', params)).toBe('d.event_type COLLATE "C" = $1');
    expect(params.values).toEqual(['deal.won']);
  });

  it('turns a prefix wildcard into the range of that prefix, any depth', () => {
    const params = new SqlParams();
    expect(eventTypeCondition('deal.*', params)).toBe(
      'd.event_type COLLATE "C" >= $1 AND d.event_type COLLATE "C" < $2',
    );
    expect(params.values).toEqual(['deal.', 'deal/']);
    // every type below deal. sorts within the range, deals and other prefixes outside it
    const inRange = (t: string) => t >= 'deal.' && t < 'deal/';
    expect(['deal.won', 'deal.stage.changed', 'deal.'].every(inRange)).toBe(true);
    expect(['deal', 'deals.won', 'deal_x.won', 'dea.won', 'deal-x.won'].some(inRange)).toBe(false);
  });

  it('adds no condition for *', () => {
    const params = new SqlParams();
    expect(eventTypeCondition('*', params)).toBeNull();
    expect(params.values).toEqual([]);
  });

  it('combines every field with AND, the tenant first, and matches q by the ids of the events holding it', () => {
    const params = new SqlParams();
    const conditions = filterConditions(
      'ten_1',
      {
        webhookId: 'wh_1',
        eventType: 'deal.won',
        eventId: 'evt_1',
        httpStatus: 503,
        since: new Date('2025-01-09T00:00:00Z'),
        until: new Date('2025-01-10T00:00:00Z'),
        q: '100%',
        qEventIds: ['evt_2', 'evt_3'],
      },
      params,
    );
    expect(conditions).toEqual([
      'd.tenant_id = $1',
      'd.subscription_id = $2',
      'd.event_type COLLATE "C" = $3',
      'd.event_id = $4',
      'd.last_http_status = $5',
      'd.last_http_status <> 200',
      'd.created_at >= $6',
      'd.created_at < $7',
      'd.event_id = ANY($8::text[])',
    ]);
    expect(params.values).toEqual([
      'ten_1',
      'wh_1',
      'deal.won',
      'evt_1',
      503,
      new Date('2025-01-09T00:00:00Z'),
      new Date('2025-01-10T00:00:00Z'),
      ['evt_2', 'evt_3'],
    ]);
  });

  it('refuses a q that was not looked up in events first', () => {
    expect(() => filterConditions('ten_1', { q: 'Jane' }, new SqlParams())).toThrow(/withSearchDone/);
  });

  it('asks for http_status 200 without the failures-only condition', () => {
    expect(filterConditions('ten_1', { httpStatus: 200 }, new SqlParams())).toEqual([
      'd.tenant_id = $1',
      'd.last_http_status = $2',
    ]);
  });

  it('reads one ordered branch per status, each limited, so each walks its own index range', () => {
    const params = new SqlParams();
    const sql = matchingDeliveriesSql({
      conditions: [`d.tenant_id = ${params.add('ten_1')}`],
      statuses: ['retrying', 'dead'],
      branchConditions: (s) => (s === 'dead' ? ['x'] : []),
      order: 'newest',
      limit: 21,
      params,
    });
    expect(sql).toBe(
      '((SELECT d.* FROM deliveries d WHERE d.tenant_id = $1 AND d.status = $3 ORDER BY d.created_at DESC, d.id DESC LIMIT $2)' +
        ' UNION ALL ' +
        '(SELECT d.* FROM deliveries d WHERE d.tenant_id = $1 AND d.status = $4 AND x ORDER BY d.created_at DESC, d.id DESC LIMIT $2)) d',
    );
    expect(params.values).toEqual(['ten_1', 21, 'retrying', 'dead']);
  });

  it('reads one branch, oldest first, without a status', () => {
    const params = new SqlParams();
    const conditions = [`d.tenant_id = ${params.add('ten_1')}`];
    expect(matchingDeliveriesSql({ conditions, order: 'oldest', limit: 5, params })).toBe(
      '(SELECT d.* FROM deliveries d WHERE d.tenant_id = $1 ORDER BY d.created_at ASC, d.id ASC LIMIT $2) d',
    );
    expect(params.values).toEqual(['ten_1', 5]);
  });
});
