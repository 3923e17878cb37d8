import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** How one entity property is stored: what plain SQL reads it as. */
export interface ColumnName {
  propertyName: string;
  databaseName: string;
}

/**
 * Builds an entity object from a row read with plain SQL (`RETURNING *`, a join with aliased
 * columns): each column's value under its property name. `prefix` picks aliased columns
 * (`source__id` for prefix `source__`). The pg driver has already parsed json/jsonb, timestamps and
 * integers, so values are taken as they are; a column missing from the row stays undefined.
 */
export function entityFromRow<T>(columns: readonly ColumnName[], row: Record<string, unknown>, prefix = ''): T {
  const entity: Record<string, unknown> = {};
  for (const column of columns) {
    const key = prefix + column.databaseName;
    if (key in row) entity[column.propertyName] = row[key];
  }
  return entity as T;
}

/** The column names of an entity, from the data source's metadata (relations' join columns included). */
export function columnsOf<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>): ColumnName[] {
  return dataSource
    .getMetadata(entity)
    .columns.map((c) => ({ propertyName: c.propertyName, databaseName: c.databaseName }));
}

/** `alias.col AS "prefixcol", …` for every column, to read an entity beside another in one row. */
export function aliasedColumns(columns: readonly ColumnName[], alias: string, prefix: string): string {
  return columns.map((c) => `${alias}."${c.databaseName}" AS "${prefix}${c.databaseName}"`).join(', ');
}

/**
 * The columns of an entity for a hand-written SELECT under `alias` (each as `prefix` + column), and
 * the reading of such a row back into the entity.
 */
export interface EntityColumns<T> {
  /** The select list. */
  select: string;
  /** The entity from a row, or null when its primary key is NULL (an outer join that found nothing). */
  read(row: Record<string, unknown>): T | null;
}

export function entityColumns<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  alias: string,
  prefix: string,
): EntityColumns<T> {
  const columns = columnsOf(dataSource, entity);
  const primary = prefix + dataSource.getMetadata(entity).primaryColumns[0].databaseName;
  return {
    select: aliasedColumns(columns, alias, prefix),
    read: (row) =>
      row[primary] === null || row[primary] === undefined ? null : entityFromRow<T>(columns, row, prefix),
  };
}
