import { DataSource } from 'typeorm';
import { loadConfig } from '../config/env';
import { dataSourceOptions } from './data-source';

/** The data source of `npm run migration:*` (TypeORM CLI); the app builds its own from the validated config. */
export default new DataSource(dataSourceOptions(loadConfig(process.env)));
