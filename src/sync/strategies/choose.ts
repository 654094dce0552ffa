import type { Capabilities } from '../capabilities.js';
import { KeysetCreatedStrategy } from './keyset-created.strategy.js';
import { KeysetModifiedStrategy } from './keyset-modified.strategy.js';
import { PageNumberStrategy } from './page-number.strategy.js';
import type { CrawlStrategy, StrategyName } from './strategy.js';

/**
 * The strategy a resource's capabilities allow, best first: keyset on date_modified (one walk
 * serves full and incremental), keyset on date_created (where only the created range works),
 * page numbers (nothing narrows the search).
 */
export function strategyNameFor(capabilities: Capabilities): StrategyName {
  if (capabilities.modifiedMin && capabilities.sortModifiedAsc) return 'keyset-modified';
  if (capabilities.createdMin && capabilities.sortCreatedAsc) return 'keyset-created';
  return 'page-number';
}

export function createStrategy(name: StrategyName): CrawlStrategy {
  if (name === 'keyset-modified') return new KeysetModifiedStrategy();
  if (name === 'keyset-created') return new KeysetCreatedStrategy();
  return new PageNumberStrategy();
}
