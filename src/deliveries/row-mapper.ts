import type { EntityMetadata } from 'typeorm';

/**
 * The columns of an entity for a hand-written SELECT (`alias.column AS prefixcolumn`) and the
 * reading of such a row back into the entity. PostgreSQL's driver already gives each column its
 * JavaScript type (Date, number, parsed JSON, arrays), as TypeORM would.
 */
export interface EntityColumns<T> {
  /** The select list. */
  select: string;
  /** The entity from a row, or null when its primary key is NULL (an outer join that found nothing). */
  read(row: Record<string, unknown>): T | null;
}

export function entityColumns<T>(metadata: EntityMetadata, alias: string, prefix: string): EntityColumns<T> {
  const columns = metadata.columns.map((c) => ({ property: c.propertyName, key: `${prefix}${c.databaseName}` }));
  const primary = `${prefix}${metadata.primaryColumns[0].databaseName}`;
  return {
    select: metadata.columns.map((c) => `${alias}.${c.databaseName} AS ${prefix}${c.databaseName}`).join(', '),
    read(row) {
      if (row[primary] === null || row[primary] === undefined) return null;
      const entity = metadata.create() as Record<string, unknown>;
      for (const c of columns) entity[c.property] = row[c.key];
      return entity as T;
    },
  };
}
