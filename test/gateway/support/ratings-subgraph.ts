import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A second remote subgraph, started by the tests on loopback: it adds `Company.rating` and can
 * be told to hang (never answer) or be stopped, to see how the gateway copes.
 */
export interface RatingsSubgraph {
  url: string;
  /** While true, every resolver waits forever: the subgraph accepts connections and never answers. */
  hang: boolean;
  readonly seen: { operations: number; authorization: (string | undefined)[] };
  stop(): Promise<void>;
}

export const RATINGS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])
type Company @key(fields: "id") { id: ID! rating: Int @requiresScopes(scopes: [["read:ratings"]]) }
type Query { topRated: [Company!]! }
`;

/** A company's rating: a pure function of its id, so a test can compute what to expect. */
export const ratingOf = (id: string): number => [...id].reduce((sum, digit) => sum + digit.charCodeAt(0), 0) % 5;

export async function startRatingsSubgraph(): Promise<RatingsSubgraph> {
  const never = new Promise<never>(() => {});
  const state: RatingsSubgraph = { url: '', hang: false, seen: { operations: 0, authorization: [] }, stop: async () => {} };
  const maybeHang = async <T>(value: T): Promise<T> => (state.hang ? never : value);
  const schema = buildSubgraphSchema({
    typeDefs: parse(RATINGS_SDL),
    resolvers: {
      Query: { topRated: () => maybeHang([{ id: '2' }, { id: '1' }]) },
      Company: {
        __resolveReference: (reference: { id: string }) => maybeHang({ id: reference.id }),
        rating: (company: { id: string }) => ratingOf(company.id),
      },
    } as never,
  });
  const server = new ApolloServer({
    schema,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      {
        async requestDidStart({ request }) {
          state.seen.operations += 1;
          state.seen.authorization.push(request.http?.headers.get('authorization') ?? undefined);
        },
      },
    ],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  state.url = url;
  state.stop = () => {
    // Apollo's drain waits for requests in flight: a hanging one would hold the stop forever.
    state.hang = false;
    return server.stop();
  };
  return state;
}
