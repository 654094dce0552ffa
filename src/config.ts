/**
 * @file Configuration, read from the environment (and `.env`) once, validated as a whole and frozen.
 * Every setting is one row of src/config/settings.ts; that table drives reading, the error
 * messages (every bad variable at once, secrets as `***`) and the README's configuration table.
 * Other modules import from here only.
 */
export { loadConfig } from './config/load.js';
export { redactUrlPassword } from './config/redact.js';
export * from './config/types.js';
