import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createHttpApp, createWorkerContext, HookhubApp } from './app';
import { ConfigError, loadConfig } from './config/env';
import { prepareDatabase } from './database/prepare-database';

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
  if (config.encryptionKeyIsDevelopment) {
    logger.warn('ENCRYPTION_KEY is not set; secrets are encrypted with a development key', 'Bootstrap');
  }
}

bootstrap().catch((error: unknown) => fail(`Hookhub failed to start: ${(error as Error).stack ?? String(error)}`));
