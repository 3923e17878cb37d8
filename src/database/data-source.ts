import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import type { ClientBase } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/env';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

const logger = new Logger('Database');

/**
 * pg-pool listens for errors only on idle clients and TypeORM only while a query runner holds one,
 * so a connection the server ends between those moments (pg_terminate_backend, a restart) emitted
 * an 'error' nobody handled and killed the process. Every client gets a listener for its whole
 * life; the failed query still rejects (and maps to 503), and the pool drops the dead client when
 * it comes back.
 */
function keepConnectionErrorsHandled(client: ClientBase): void {
  client.on('error', (error: Error) => logger.warn(`a database connection was lost: ${error.message}`));
}

/** Options of the one data source: the app, the tests and the migration CLI all use these. */
export function dataSourceOptions(config: Pick<AppConfig, 'databaseUrl'>, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, onConnect: keepConnectionErrorsHandled },
  };
}
