import { aliasedColumns, entityFromRow } from './raw-rows';

describe('entityFromRow', () => {
  const columns = [
    { propertyName: 'id', databaseName: 'id' },
    { propertyName: 'retryCount', databaseName: 'retry_count' },
    { propertyName: 'executionContext', databaseName: 'execution_context' },
    { propertyName: 'processedAt', databaseName: 'processed_at' },
  ];

  it('maps column names to property names and keeps parsed values as they are', () => {
    const at = new Date('2025-01-09T12:00:05.123Z');
    const context = { events: ['evt_1'] };
    const entity = entityFromRow<Record<string, unknown>>(columns, {
      id: 'in_1',
      retry_count: 2,
      execution_context: context,
      processed_at: at,
      extra: 'ignored',
    });
    expect(entity).toEqual({ id: 'in_1', retryCount: 2, executionContext: context, processedAt: at });
    expect(entity.executionContext).toBe(context);
  });

  it('keeps nulls and leaves columns absent from the row undefined', () => {
    const entity = entityFromRow<Record<string, unknown>>(columns, { id: 'in_1', processed_at: null });
    expect(entity).toEqual({ id: 'in_1', processedAt: null });
    expect('retryCount' in entity).toBe(false);
  });

  it('reads aliased columns by prefix only', () => {
    const row = { id: 'in_1', source__id: 'src_1', source__retry_count: 0 };
    expect(entityFromRow(columns, row, 'source__')).toEqual({ id: 'src_1', retryCount: 0 });
  });
});

describe('aliasedColumns', () => {
  it('lists each column under its prefixed alias', () => {
    expect(
      aliasedColumns(
        [
          { propertyName: 'id', databaseName: 'id' },
          { propertyName: 'toleranceS', databaseName: 'tolerance_s' },
        ],
        's',
        'source__',
      ),
    ).toBe('s."id" AS "source__id", s."tolerance_s" AS "source__tolerance_s"');
  });
});
