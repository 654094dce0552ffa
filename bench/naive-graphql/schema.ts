import { buildSchema, type GraphQLFieldResolver, type GraphQLSchema, type GraphQLObjectType } from 'graphql';
import { IsNull, type DataSource } from 'typeorm';
import { Company, Opportunity, Person } from '../../src/entities/index.js';

/**
 * The naive baseline of the nested query: the same shape as the real schema (connections with
 * `nodes`, default page size 50, live rows only, id order), resolved the obvious way, one
 * TypeORM query per parent and no loaders, so a page of 50 companies with 20 people each and
 * their opportunities costs one statement per company, per person and per opportunity.
 */
export const NAIVE_SDL = /* GraphQL */ `
  type Query {
    companies(first: Int): CompanyConnection!
  }
  type CompanyConnection {
    nodes: [Company!]!
  }
  type PersonConnection {
    nodes: [Person!]!
  }
  type OpportunityConnection {
    nodes: [Opportunity!]!
  }
  type Company {
    id: ID!
    name: String
    people(first: Int): PersonConnection!
  }
  type Person {
    id: ID!
    name: String
    company: Company
    opportunities(first: Int): OpportunityConnection!
  }
  type Opportunity {
    id: ID!
    name: String
    company: Company
  }
`;

const DEFAULT_PAGE_SIZE = 50;

type Resolver = GraphQLFieldResolver<Record<string, unknown>, unknown, { first?: number | null }>;

export function buildNaiveSchema(dataSource: DataSource): GraphQLSchema {
  const schema = buildSchema(NAIVE_SDL);
  const companies = dataSource.getRepository(Company);
  const people = dataSource.getRepository(Person);
  const opportunities = dataSource.getRepository(Opportunity);
  const companyById: Resolver = (parent) =>
    parent.companyId == null ? null : companies.findOne({ where: { id: String(parent.companyId), deletedAt: IsNull() } });

  const resolvers: Record<string, Record<string, Resolver>> = {
    Query: {
      companies: async (_root, args) => ({
        nodes: await companies.find({ where: { deletedAt: IsNull() }, order: { id: 'ASC' }, take: args.first ?? DEFAULT_PAGE_SIZE }),
      }),
    },
    Company: {
      people: async (company, args) => ({
        nodes: await people.find({ where: { companyId: String(company.id), deletedAt: IsNull() }, order: { id: 'ASC' }, take: args.first ?? DEFAULT_PAGE_SIZE }),
      }),
    },
    Person: {
      company: companyById,
      opportunities: async (person, args) => ({
        nodes: await opportunities.find({ where: { primaryContactId: String(person.id), deletedAt: IsNull() }, order: { id: 'ASC' }, take: args.first ?? DEFAULT_PAGE_SIZE }),
      }),
    },
    Opportunity: {
      company: companyById,
    },
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, resolve] of Object.entries(fields)) type.getFields()[fieldName].resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  return schema;
}
