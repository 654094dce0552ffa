import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../../schema/context.js';

/**
 * Tells a client which nulls are masks: personal fields the caller may not read come back null
 * (they are never read from the database), and the response lists their type coordinates under
 * `extensions.masked`, with the scope that would show them, so a client can tell a masked value
 * from a null one.
 */
export function maskedFieldsPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const masked = contextValue.access?.masked;
          if (!masked || masked.size === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, masked: { fields: [...masked].sort(), scope: 'read:pii' } };
        },
      };
    },
  };
}
