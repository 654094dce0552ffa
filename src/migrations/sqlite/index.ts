import { InitialSchema1795677316912 } from './1795677316912-InitialSchema.js';

/** In order of application. */
export const sqliteMigrations = [InitialSchema1795677316912];
