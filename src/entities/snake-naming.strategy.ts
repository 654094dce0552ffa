import { DefaultNamingStrategy, type NamingStrategyInterface } from 'typeorm';
import { snakeCase } from './mirror-column.js';

/**
 * Column names are the upstream's own snake_case names (`company_id`, `address_street`):
 * the tables are a public SQL interface, so BI users see the API's vocabulary.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    return [...embeddedPrefixes, customName ?? snakeCase(propertyName)].join('_');
  }
}
