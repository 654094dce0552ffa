import { parse } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { AppConfig } from '../../config.js';
import { aliasLimitRule } from '../../server/limits/alias.rule.js';
import { createCostCheck } from '../../server/limits/cost.plugin.js';
import { depthLimitRule } from '../../server/limits/depth.rule.js';
import { finiteFloatRule } from '../../server/limits/finite-float.rule.js';
import { httpSubscriptionRule } from '../../server/limits/http-subscription.rule.js';

/**
 * The subgraph's limits, applied by the gateway to the supergraph operation a client sends,
 * before any subgraph is asked: tokens when parsing, depth, aliases and finite floats when
 * validating, cost and the shape of the variables before executing. They are the same
 * functions Apollo runs on `/subgraph` (src/server/limits), with the same settings.
 *
 * Authentication, the rate limit and trusted documents are Fastify hooks on the route
 * (src/server/edge), so they already hold for the gateway's `/graphql`.
 */
export function edgeLimitsPlugin(server: AppConfig['server']): GatewayPlugin {
  const checkCost = createCostCheck(server.maxCost, { defaultPageSize: server.defaultPageSize, maxPageSize: server.maxPageSize });
  const rules = [depthLimitRule(server.maxDepth), aliasLimitRule(server.maxAliases), finiteFloatRule(), httpSubscriptionRule()];
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: server.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
    onExecute({ args }) {
      checkCost({ document: args.document, schema: args.schema, operationName: args.operationName ?? undefined, variables: args.variableValues ?? undefined });
    },
  };
}
