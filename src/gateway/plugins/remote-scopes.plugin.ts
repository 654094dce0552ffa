import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { grants } from '../../auth/principal.js';
import { forbidden, unauthenticated } from '../../schema/errors.js';
import { mirrorContextOf } from '../gateway-context.js';
import { perSupergraph } from '../per-supergraph.js';
import { RemoteScopes, unmet } from '../remote-scopes.js';
import type { SupergraphSource } from '../supergraph-source.js';

const describe = (alternatives: readonly (readonly string[])[]): string => alternatives.map((all) => all.join(' and ')).join(', or ');

/**
 * The other subgraphs' `@requiresScopes`, enforced at the edge as a router would: an operation
 * that selects a field or type the caller's credential has no scopes for is refused before any
 * subgraph is asked (FORBIDDEN, naming the coordinate and the scopes; UNAUTHENTICATED without a
 * credential). Their scopes come from the token (`AUTH_SCOPES_CLAIM`), beside ours.
 */
export function remoteScopesPlugin(source: SupergraphSource): GatewayPlugin {
  const current = perSupergraph(source, ({ sdl, config }) => new RemoteScopes(sdl, config.self.name));
  return {
    onExecute({ args }) {
      const scopes = current();
      const context = mirrorContextOf(args.contextValue);
      if (scopes.empty || !context) return;
      const principal = context.access.principal;
      const missing = unmet(scopes.requirementsOf(args.document, args.schema), (scope) => grants(principal, scope));
      if (!missing) return;
      const what = `${missing.coordinate} needs the scope ${describe(missing.scopes)}`;
      if (principal.via === 'anonymous') throw unauthenticated(`${what}: send a token that holds it, as "Authorization: Bearer <...>"`);
      throw forbidden(`${what}, which ${principal.subject ?? 'this credential'} does not hold`);
    },
  };
}
