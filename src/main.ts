import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createHttpApp, createWorkerContext, HookhubApp } from './app';
import { ConfigError, loadConfig } from './config/env';
import { prepareDatabase } from './database/prepare-database';
import { applyHeapGrowth } from './observability/heap-growth';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`Invalid configuration: ${error.message.split('\n').join('; ')}`);
    throw error;
  }
  // before the database and the application are set up, so that every full collection is sized by it
  applyHeapGrowth(config.heapGrowingPercent);
  let generatedAdminKey: string | undefined;
  if (!config.adminApiKey && config.nodeEnv !== 'production') {
    generatedAdminKey = `dev_${randomBytes(24).toString('base64url')}`;
    config = { ...config, adminApiKey: generatedAdminKey };
  }

  let migrations: string[] = [];
  try {
    migrations = await prepareDatabase(config.databaseUrl);
  } catch (error) {
    fail(`Cannot prepare the database at DATABASE_URL: ${(error as Error).message}`);
  }

  let app: HookhubApp;
  if (config.role === 'worker') {
    app = await createWorkerContext(config);
  } else {
    const http = await createHttpApp(config);
    await http.listen(config.port);
    app = http;
  }
  const logger = app.get((await import('nestjs-pino')).Logger);
  logger.log(
    `Hookhub started: role=${config.role}${config.role === 'worker' ? '' : ` port=${config.port}`}`,
    'Bootstrap',
  );
  if (migrations.length > 0) logger.log(`Applied migrations: ${migrations.join(', ')}`, 'Bootstrap');
  if (generatedAdminKey) {
    logger.warn(
      `ADMIN_API_KEY is not set; this run's admin key is ${generatedAdminKey} (set ADMIN_API_KEY to fix it)`,
      'Bootstrap',
    );
  }
  stopOnSignals(app, logger);
  if (config.encryptionKeyIsDevelopment) {
    logger.warn('ENCRYPTION_KEY is not set; secrets are encrypted with a development key', 'Bootstrap');
  }
  if (config.nodeEnv === 'production' && !config.publicUrl && config.role !== 'worker') {
    logger.warn(
      "PUBLIC_URL is not set; the ingest_url of sources is built from the request's Host header, which a client " +
        'can forge (set PUBLIC_URL to the public address)',
      'Bootstrap',
    );
  }
}

/** How long in-flight work may take to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 30_000;

/**
 * SIGTERM/SIGINT: stop taking requests and jobs, let in-flight ones finish (Nest closes the HTTP
 * server, Bull waits for active jobs), close connections, exit 0. Anything unfinished is still
 * due in PostgreSQL and is taken up again by the next worker.
 */
function stopOnSignals(
  app: HookhubApp,
  logger: { log(message: string, context: string): void; error(message: string, context: string): void },
): void {
  let stopping = false;
  // Closing queues and connections rejects commands still waiting on them (ioredis "Connection is
  // closed"); while stopping that is expected. At other times an unhandled rejection is logged as
  // an error instead of killing a process that holds in-flight work.
  process.on('unhandledRejection', (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (stopping) logger.log(`ignored during shutdown: ${message}`, 'Shutdown');
    else logger.error(`unhandled rejection: ${message}`, 'Process');
  });
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining in-flight work`, 'Shutdown');
    setTimeout(() => fail(`Shutdown took longer than ${SHUTDOWN_GRACE_MS} ms; exiting`), SHUTDOWN_GRACE_MS).unref();
    app
      .close()
      .then(() => {
        logger.log('Hookhub stopped', 'Shutdown');
        process.exit(0);
      })
      .catch((error: unknown) => fail(`Shutdown failed: ${(error as Error).message}`));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

bootstrap().catch((error: unknown) => fail(`Hookhub failed to start: ${(error as Error).stack ?? String(error)}`));
