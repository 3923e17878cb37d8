import { prepareDatabase } from '../../src/database/prepare-database';
import { newRunEnv } from './run-env';

/** Creates this run's database and migrates it; the env reaches every test worker. */
export default async function globalSetup(): Promise<void> {
  const env = newRunEnv();
  Object.assign(process.env, env);
  await prepareDatabase(env.DATABASE_URL);
}
