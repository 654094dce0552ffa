/**
 * The DataSource for the TypeORM CLI, built from the same validated config as the app:
 *   node --import tsx node_modules/typeorm/cli.js migration:show -d ormconfig.ts
 */
import { loadConfig } from './src/config.js';
import { createDataSource } from './src/db/data-source.js';

const dataSource = createDataSource(loadConfig().database);
export default dataSource;
