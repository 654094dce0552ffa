export { EXAMPLE_OPERATIONS, type ExampleOperation } from './example-operations.js';
export { graphiqlPlugin, type GraphiqlPluginOptions } from './graphiql.plugin.js';
export { healthPlugin, type HealthPluginOptions } from './health.plugin.js';
export { metricsPlugin, type MetricsPluginOptions } from './metrics.plugin.js';
