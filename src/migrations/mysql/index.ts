import { InitialSchema1795677316912 } from './1795677316912-InitialSchema.js';
import { SyncStrategies1796155441956 } from './1796155441956-SyncStrategies.js';

/** In order of application. */
export const mysqlMigrations = [InitialSchema1795677316912, SyncStrategies1796155441956];
