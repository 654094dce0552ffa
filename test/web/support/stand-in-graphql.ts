import type { FastifyPluginAsync } from 'fastify';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';

/**
 * A tiny stand-in for the real GraphQL server, shaped like the planned schema just enough that
 * every example operation validates and returns data. It answers `POST /graphql` (JSON) and
 * `GET /graphql?query=...` like Apollo does, so tests can check that GraphiQL's page does not
 * swallow GraphQL-over-HTTP GET requests.
 */
export const STAND_IN_SDL = /* GraphQL */ `
  enum Resource { PEOPLE COMPANIES OPPORTUNITIES PROJECTS }
  enum SyncMode { INCREMENTAL FULL }
  enum OpportunityField { NAME MONETARY_VALUE }
  enum SortDirection { ASC DESC }
  enum OpportunityGroupBy { STATUS }

  input StringFilter { eq: String }
  input NumberFilter { gte: Float }
  input PipelineStageWhere { name: StringFilter }
  input OpportunityWhere { status: StringFilter, monetaryValue: NumberFilter, pipelineStage: PipelineStageWhere }
  input OpportunityOrder { field: OpportunityField!, direction: SortDirection! }

  type PageInfo { hasNextPage: Boolean!, endCursor: String }
  type Named { name: String }
  type Stage { name: String, pipeline: Named }
  type Opportunity { id: ID!, name: String!, status: String!, monetaryValue: Float, pipelineStage: Stage, assignee: Named, customerSource: Named }
  type OpportunityConnection { nodes: [Opportunity!]! }
  type Person { id: ID!, name: String!, firstName: String, lastName: String, opportunities: OpportunityConnection! }
  type PersonEdge { cursor: String!, node: Person! }
  type PersonConnection { nodes: [Person!]!, edges: [PersonEdge!]!, pageInfo: PageInfo!, totalCount: Int! }
  type Company { id: ID!, name: String!, people(first: Int): PersonConnection! }
  type CompanyConnection { nodes: [Company!]! }
  type OpportunityGroupKey { status: String }
  type MoneyStats { sum: Float, avg: Float }
  type OpportunityGroup { key: OpportunityGroupKey!, count: Int!, monetaryValue: MoneyStats! }
  type ResourceSyncStatus { resource: Resource!, cursor: Float, running: Boolean!, recordCount: Int! }
  type SyncRun { id: ID!, resource: Resource!, status: String! }

  type Query {
    companies(first: Int, after: String): CompanyConnection!
    people(first: Int, after: String): PersonConnection!
    opportunities(where: OpportunityWhere, orderBy: [OpportunityOrder!], first: Int): OpportunityConnection!
    opportunityStats(groupBy: [OpportunityGroupBy!]!): [OpportunityGroup!]!
    syncStatus: [ResourceSyncStatus!]!
  }
  type Mutation {
    resync(resources: [Resource!]!, mode: SyncMode!): [SyncRun!]!
  }
`;

export const standInSchema: GraphQLSchema = buildSchema(STAND_IN_SDL);

const deal = { id: '7001', name: 'Harbour Cranes renewal', status: 'Open', monetaryValue: 48_000, pipelineStage: { name: 'Negotiation', pipeline: { name: 'Sales' } }, assignee: { name: 'Grace Hopper' }, customerSource: { name: 'Referral' } };
const person = { id: '5001', name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace', opportunities: { nodes: [deal] } };
const people = { nodes: [person], edges: [{ cursor: 'cursor:5001', node: person }], pageInfo: { hasNextPage: false, endCursor: 'cursor:5001' }, totalCount: 1 };

const rootValue = {
  companies: () => ({ nodes: [{ id: '3001', name: 'Analytical Engines Ltd', people: () => people }] }),
  people: () => people,
  opportunities: () => ({ nodes: [deal] }),
  opportunityStats: () => [{ key: { status: 'Open' }, count: 1, monetaryValue: { sum: 48_000, avg: 48_000 } }],
  syncStatus: () =>
    (['PEOPLE', 'COMPANIES', 'OPPORTUNITIES', 'PROJECTS'] as const).map((resource, i) => ({
      resource,
      cursor: 1_767_225_600 + i,
      running: false,
      recordCount: 4_821 + i,
    })),
  resync: ({ resources }: { resources: string[] }) => resources.map((resource, i) => ({ id: String(i + 1), resource, status: 'running' })),
};

interface GraphqlBody {
  query?: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export const standInGraphqlPlugin: FastifyPluginAsync = async (app) => {
  const execute = (body: GraphqlBody) =>
    graphql({
      schema: standInSchema,
      source: body.query ?? '',
      rootValue,
      variableValues: body.variables ?? undefined,
      operationName: body.operationName ?? undefined,
    });
  app.post<{ Body: GraphqlBody }>('/graphql', async (request) => execute(request.body));
  app.get<{ Querystring: { query?: string } }>('/graphql', async (request, reply) => {
    if (!request.query.query) return reply.code(400).send({ errors: [{ message: 'GET query missing.' }] });
    return execute({ query: request.query.query });
  });
};
