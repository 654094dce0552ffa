import { InitialSchema1795677316912 } from './1795677316912-InitialSchema.js';
import { AddApiKeys1796157576939 } from './1796157576939-AddApiKeys.js';

/** In order of application. */
export const sqliteMigrations = [InitialSchema1795677316912, AddApiKeys1796157576939];
