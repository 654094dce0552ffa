import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { GraphQLContext } from '../schema/context.js';
import type { ApolloLifecycle } from './apollo-lifecycle.js';
import { createJitExecutor, executorGateway, jitOptionsOf, sqlPathOf } from './jit-executor.js';
import { aliasLimitRule } from './limits/alias.rule.js';
import { costLimitPlugin } from './limits/cost.plugin.js';
import { depthLimitRule } from './limits/depth.rule.js';
import { finiteFloatRule } from './limits/finite-float.rule.js';
import { httpSubscriptionRule } from './limits/http-subscription.rule.js';
import { errorsPlugin, maskError } from './plugins/errors.plugin.js';
import { maskedFieldsPlugin } from './plugins/masked-fields.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';

/**
 * Apollo Server with the service's safety settings: token, depth, alias and cost limits, CSRF
 * prevention, masked errors, no CDN landing page, no inline traces (they would carry
 * unmasked error messages to a gateway), and no signal handlers of its own (the app's
 * shutdown closes Fastify, which stops Apollo).
 */
export function createApollo(
  schema: GraphQLSchema,
  server: AppConfig['server'],
  lifecycle: ApolloLifecycle,
  logger: Logger,
): ApolloServer<GraphQLContext> {
  const limits = { defaultPageSize: server.defaultPageSize, maxPageSize: server.maxPageSize };
  return new ApolloServer<GraphQLContext>({
    // Every operation goes through our executor (first the one-statement SQL path, when there is one); GRAPHQL_EXECUTOR=graphql-js only never compiles.
    gateway: executorGateway(schema, createJitExecutor(schema, jitOptionsOf(server), sqlPathOf(schema, server))),
    introspection: server.introspection,
    hideSchemaDetailsFromClientErrors: !server.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: !server.maskErrors,
    // Errors that never reach the request pipeline (malformed requests) are masked here too.
    formatError: (formatted) => maskError(formatted, server.maskErrors),
    parseOptions: { maxTokens: server.maxTokens },
    validationRules: [depthLimitRule(server.maxDepth), aliasLimitRule(server.maxAliases), finiteFloatRule(), httpSubscriptionRule()],
    stopOnTerminationSignals: false,
    logger,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The default cache-control plugin hooks every field resolution; the API sets no cache hints.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      lifecycle.drainPlugin<GraphQLContext>(),
      metricsPlugin(),
      errorsPlugin(server.maskErrors),
      maskedFieldsPlugin(),
      costLimitPlugin(server.maxCost, limits),
    ],
  });
}
