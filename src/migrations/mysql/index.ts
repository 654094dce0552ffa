import { InitialSchema1795677316912 } from './1795677316912-InitialSchema.js';
import { SyncStrategies1796155441956 } from './1796155441956-SyncStrategies.js';
import { AddApiKeys1796157576939 } from './1796157576939-AddApiKeys.js';
import { StatsCoveringIndex1796173059535 } from './1796173059535-StatsCoveringIndex.js';
import { RelationKeysWithDeletedAt1796175853065 } from './1796175853065-RelationKeysWithDeletedAt.js';
import { RealtimeTables1796195723488 } from './1796195723488-RealtimeTables.js';
import { ReferenceData1796211724474 } from './1796211724474-ReferenceData.js';

/** In order of application. */
export const mysqlMigrations = [InitialSchema1795677316912, SyncStrategies1796155441956, AddApiKeys1796157576939, StatsCoveringIndex1796173059535, RelationKeysWithDeletedAt1796175853065, RealtimeTables1796195723488, ReferenceData1796211724474];
