import { BIG_ID, DANGLING_COMPANY, DANGLING_PERSON } from './seed.js';

/**
 * Hand-written operations over the whole schema, for the parity of the compiled SQL path with
 * the loaders (test/graphql/compiled-parity.test.ts): every root field, every relation, the
 * union, connections (nodes, edges, pageInfo, totalCount, first/last/after/before), orderBy,
 * where (AND/OR/NOT, relation filters) as variables and as literals, includeDeleted, aliases,
 * fragments, directives, every scalar kind, missing and dangling ids, and errors.
 *
 * Cursors come from the loader server's first answers (see `CURSOR_QUERIES`): `query` and
 * `variables` may be functions of them.
 */

/** Real cursors, read before the table runs: one list per connection root field (ascending id, includeDeleted: false). */
export interface Cursors {
  people: string[];
  companies: string[];
  opportunities: string[];
  projects: string[];
  /** people ordered by NAME DESC (a sort key with nulls). */
  peopleByName: string[];
  /** opportunities ordered by MONETARY_VALUE ASC, CLOSE_DATE DESC. */
  opportunitiesByValue: string[];
}

export const CURSOR_QUERIES: Record<keyof Cursors, string> = {
  people: '{ c: people(first: 10) { edges { cursor } } }',
  companies: '{ c: companies(first: 10) { edges { cursor } } }',
  opportunities: '{ c: opportunities(first: 10) { edges { cursor } } }',
  projects: '{ c: projects(first: 10) { edges { cursor } } }',
  peopleByName: '{ c: people(first: 20, orderBy: [{ field: NAME, direction: DESC }]) { edges { cursor } } }',
  opportunitiesByValue: '{ c: opportunities(first: 20, orderBy: [{ field: MONETARY_VALUE }, { field: CLOSE_DATE, direction: DESC }]) { edges { cursor } } }',
};

export interface ParityOperation {
  name: string;
  query: string | ((c: Cursors) => string);
  variables?: Record<string, unknown> | ((c: Cursors) => Record<string, unknown>);
  /** The answer carries errors (on both servers alike). */
  errors?: true;
}

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const PERSON_SCALARS = 'id name prefix firstName middleName lastName suffix title contactTypeId dateLeadCreated assigneeId companyId companyName interactionCount dateCreated dateModified dateLastContacted syncedAt deletedAt tags details raw leadsConvertedFrom';
const PERSON_PII = 'emails { email category } phoneNumbers { number category } socials { url category } websites { url category } address { street city state postalCode country } customFields { customFieldDefinitionId value }';
const COMPANY_SCALARS = 'id name assigneeId tags details contactTypeId emailDomain interactionCount dateCreated dateModified syncedAt deletedAt raw address { city country } phoneNumbers { number } websites { url } socials { url } customFields { customFieldDefinitionId value }';
const OPPORTUNITY_SCALARS = 'id name assigneeId companyId companyName primaryContactId status priority monetaryValue monetaryUnit winProbability closeDate closeDateRaw pipelineId pipelineStageId customerSourceId lossReasonId interactionCount dateStageChanged dateLastContacted dateLeadCreated dateCreated dateModified syncedAt deletedAt tags details raw leadsConvertedFrom customFields { customFieldDefinitionId value }';
const PROJECT_SCALARS = 'id name assigneeId status tags details raw dateCreated dateModified syncedAt deletedAt relatedResource { id type } customFields { customFieldDefinitionId value }';

const PERSON_WHERE = {
  OR: [{ name: { in: ['Ann', 'Bob'] }, interactionCount: { gte: 1 } }, { AND: [{ title: { contains: '%' } }, { NOT: { companyId: { isNull: true } } }] }],
  NOT: { title: { startsWith: 'O' } },
};
const PERSON_WHERE_LITERAL = '{ OR: [{ name: { in: ["Ann", "Bob"] }, interactionCount: { gte: 1 } }, { AND: [{ title: { contains: "%" } }, { NOT: { companyId: { isNull: true } } }] }], NOT: { title: { startsWith: "O" } } }';
const OPPORTUNITY_WHERE = {
  AND: [{ monetaryValue: { gte: 1500.5, lt: 9000 } }, { OR: [{ status: { in: ['Open', 'Won'] } }, { status: { isNull: true } }] }],
  NOT: { closeDate: { lt: '2026-03-01' } },
  primaryContact: { name: { ne: 'Dee' } },
};
const OPPORTUNITY_WHERE_LITERAL =
  '{ AND: [{ monetaryValue: { gte: 1500.5, lt: 9000 } }, { OR: [{ status: { in: ["Open", "Won"] } }, { status: { isNull: true } }] }], NOT: { closeDate: { lt: "2026-03-01" } }, primaryContact: { name: { ne: "Dee" } } }';

export const OPERATIONS: ParityOperation[] = [
  // --- nested pages shorter than their parents' children: the compiled path bounds them by the id at OFFSET limit
  { name: 'nested pages cut below the children, with pages inside', query: `{ companies(first: 10, includeDeleted: true) { nodes { id people(first: 2) { totalCount ${PAGE_INFO} nodes { id opportunities(first: 1) { ${PAGE_INFO} nodes { id company { id } } } } } } } }` },
  { name: 'nested backward pages (last, before) with pages inside', query: `{ companies(first: 10) { nodes { id people(last: 3) { ${PAGE_INFO} edges { cursor node { id opportunities(last: 1) { nodes { id } } } } } } } }` },
  { name: 'nested pages by id descending, filtered, with pages inside', query: '{ companies(first: 10) { nodes { people(first: 2, orderBy: [{ field: ID, direction: DESC }], where: { OR: [{ name: { isNull: true } }, { title: { contains: "%" } }, { id: { gte: "110" } }] }) { nodes { id opportunities { nodes { id } } } } } } }' },
  { name: 'nested pages after a cursor, with pages inside', query: (c) => `{ companies(first: 10) { nodes { people(first: 2, after: "${c.people[3]}") { ${PAGE_INFO} nodes { id projects { nodes { id } } } } } } }` },
  { name: 'nested pages by several keys with pages inside (left to the loaders)', query: '{ companies(first: 10) { nodes { people(first: 2, orderBy: [{ field: NAME }]) { nodes { id opportunities { nodes { id } } } } } } }' },
  { name: 'nested pages by several keys without pages inside', query: `{ companies(first: 10) { nodes { people(first: 3, orderBy: [{ field: NAME, direction: DESC }, { field: TITLE }]) { ${PAGE_INFO} nodes { id name title company { name } } } } } }` },
  { name: 'the union with relations and JSON lists inside each branch', query: '{ projects(first: 50) { nodes { id relatedRecord { __typename ... on Person { id emails { email __typename } company { id websites { url } } opportunities(first: 1) { totalCount nodes { id } } } ... on Company { id tags people(first: 2) { nodes { id customFields { customFieldDefinitionId value } } } } ... on Opportunity { id primaryContact { id emails { category } } } } } } }' },
  { name: 'the same connection as nodes, as edges and aliased twice', query: '{ people(first: 4) { a: nodes { id } b: nodes { name emails { email } } edges { cursor n: node { id title } __typename } edges { node { company { name } } } totalCount __typename pageInfo { __typename endCursor } } }' },
  // --- root fields by id
  { name: 'person by id, every scalar and personal field', query: `{ person(id: "101") { __typename ${PERSON_SCALARS} ${PERSON_PII} } }` },
  { name: 'company by the big id (above 2^53)', query: `{ company(id: "${BIG_ID}") { __typename ${COMPANY_SCALARS} } }` },
  { name: 'opportunity by id: Float from DECIMAL, LocalDate, JSON', query: `{ opportunity(id: "202") { __typename ${OPPORTUNITY_SCALARS} } }` },
  { name: 'project by id with its relatedResource', query: `{ project(id: "301") { __typename ${PROJECT_SCALARS} } }` },
  {
    name: 'ids that do not exist, are not numbers, or are soft-deleted (null) and includeDeleted',
    query: `{ a: person(id: "x") { id } b: person(id: "${DANGLING_PERSON}") { id } c: company(id: "${DANGLING_COMPANY}") { id } d: company(id: "-1") { id } e: company(id: "1e3") { id } f: person(id: "114") { id } g: person(id: "114", includeDeleted: true) { id deletedAt } h: opportunity(id: "221", includeDeleted: true) { id deletedAt } i: opportunity(id: "221") { id } j: project(id: "311") { id } k: project(id: "311", includeDeleted: true) { id deletedAt } l: company(id: "18446744073709551616") { id } }`,
  },
  { name: 'by id through a variable (the big id)', query: 'query($id: ID!, $d: Boolean!) { company(id: $id, includeDeleted: $d) { id name } }', variables: { id: BIG_ID, d: false } },

  // --- the change log (its own resolver, never compiled: both paths must agree all the same)
  { name: 'changes: a page of the change log', query: '{ changes(first: 5) { nodes { cursor resource id kind source committedAt } endCursor hasNextPage } }' },

  // --- connections at the root
  { name: 'people: nodes, edges, pageInfo, totalCount', query: `{ people(first: 7) { __typename totalCount nodes { __typename id name } edges { __typename cursor node { id title } } ${PAGE_INFO} } }` },
  { name: 'companies: every scalar, includeDeleted', query: `{ companies(first: 50, includeDeleted: true) { totalCount nodes { ${COMPANY_SCALARS} } ${PAGE_INFO} } }` },
  { name: 'opportunities: every scalar', query: `{ opportunities(first: 50) { totalCount nodes { ${OPPORTUNITY_SCALARS} } ${PAGE_INFO} } }` },
  { name: 'projects: every scalar, includeDeleted', query: `{ projects(first: 50, includeDeleted: true) { totalCount nodes { ${PROJECT_SCALARS} } ${PAGE_INFO} } }` },
  { name: 'people: every scalar and personal field, default page size', query: `{ people { totalCount nodes { ${PERSON_SCALARS} ${PERSON_PII} } ${PAGE_INFO} } }` },
  { name: 'a connection without first (default page) and with first: 0', query: '{ a: companies { nodes { id } } b: people(first: 0) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }' },

  // --- paging with real cursors
  { name: 'after a cursor', query: (c) => `{ people(first: 4, after: "${c.people[3]}") { totalCount edges { cursor node { id } } ${PAGE_INFO} } }` },
  { name: 'before a cursor, last', query: (c) => `{ people(last: 3, before: "${c.people[6]}") { edges { cursor node { id } } ${PAGE_INFO} } }` },
  { name: 'last only (the final page)', query: `{ opportunities(last: 5) { totalCount nodes { id } ${PAGE_INFO} } }` },
  { name: 'first with after and before', query: (c) => `{ companies(first: 10, after: "${c.companies[0]}", before: "${c.companies[4]}") { edges { cursor node { id name } } ${PAGE_INFO} } }` },
  { name: 'cursors as variables', query: 'query($a: String, $b: String, $n: Int) { projects(first: $n, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } p: projects(last: $n, before: $b) { nodes { id } pageInfo { hasPreviousPage startCursor } } }', variables: (c) => ({ a: c.projects[1], b: c.projects[5], n: 3 }) },
  {
    name: 'after a cursor of a sort with nulls (NAME DESC)',
    query: (c) => `{ people(first: 6, after: "${c.peopleByName[8]}", orderBy: [{ field: NAME, direction: DESC }]) { edges { cursor node { id name } } ${PAGE_INFO} } }`,
  },
  {
    name: 'after a cursor of two sort keys with nulls (MONETARY_VALUE, CLOSE_DATE DESC)',
    query: 'query($a: String) { opportunities(first: 8, after: $a, orderBy: [{ field: MONETARY_VALUE }, { field: CLOSE_DATE, direction: DESC }]) { edges { cursor node { id monetaryValue closeDate } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }',
    variables: (c) => ({ a: c.opportunitiesByValue[4] }),
  },

  // --- ordering
  { name: 'orderBy with nulls, several keys', query: `{ people(first: 20, orderBy: [{ field: INTERACTION_COUNT, direction: DESC }, { field: NAME }, { field: DATE_MODIFIED, direction: DESC }]) { nodes { id name interactionCount dateModified } ${PAGE_INFO} } }` },
  { name: 'orderBy a JSON path (address city) and a nullable date', query: '{ companies(first: 10, orderBy: [{ field: ADDRESS_CITY, direction: DESC }, { field: DATE_MODIFIED }]) { nodes { id address { city } dateModified } } }' },
  { name: 'orderBy on opportunities and projects (relatedResource keys)', query: '{ opportunities(first: 12, orderBy: [{ field: STATUS }, { field: WIN_PROBABILITY, direction: DESC }]) { nodes { id status winProbability } } projects(first: 12, includeDeleted: true, orderBy: [{ field: RELATED_RESOURCE_TYPE, direction: DESC }, { field: RELATED_RESOURCE_ID }]) { nodes { id relatedResource { id type } } } }' },
  { name: 'orderBy as a variable', query: 'query($o: [OpportunityOrderBy!]) { opportunities(last: 9, orderBy: $o) { nodes { id closeDate priority } pageInfo { hasPreviousPage startCursor } } }', variables: { o: [{ field: 'CLOSE_DATE', direction: 'DESC' }, { field: 'PRIORITY' }] } },

  // --- filters, literals and variables
  { name: 'where with AND/OR/NOT as a literal', query: `{ people(first: 50, where: ${PERSON_WHERE_LITERAL}) { totalCount nodes { id name title interactionCount companyId } } }` },
  { name: 'where with AND/OR/NOT as a variable', query: 'query($w: PersonWhere) { people(first: 50, where: $w) { totalCount nodes { id name title interactionCount companyId } } }', variables: { w: PERSON_WHERE } },
  { name: 'opportunity filters (Float, LocalDate, relation) as a literal', query: `{ opportunities(first: 50, where: ${OPPORTUNITY_WHERE_LITERAL}) { totalCount nodes { id monetaryValue status closeDate primaryContactId } } }` },
  { name: 'opportunity filters (Float, LocalDate, relation) as a variable', query: 'query($w: OpportunityWhere) { opportunities(first: 50, where: $w) { totalCount nodes { id monetaryValue status closeDate primaryContactId } } }', variables: { w: OPPORTUNITY_WHERE } },
  { name: 'relation filter: people whose company is named', query: '{ people(first: 50, where: { company: { name: { contains: "a" } } }) { totalCount nodes { id companyId company { id name } } } }' },
  { name: 'relation filter as a variable, nested: opportunities by company city', query: 'query($w: OpportunityWhere) { opportunities(first: 50, where: $w) { totalCount nodes { id company { id address { city } } } } }', variables: { w: { company: { address: { city: { eq: 'Paris' } } }, NOT: { primaryContact: { title: { isNull: true } } } } } },
  { name: 'literal metacharacters, JSON isNull, the big id in a filter', query: `{ companies(first: 10, where: { OR: [{ name: { contains: "100%_" } }, { id: { in: ["${BIG_ID}", "3"] } }], tags: { isNull: true }, customFields: { isNull: true } }) { nodes { id name } } }` },
  { name: 'project filter on relatedResource and DateTime', query: '{ projects(first: 20, includeDeleted: true, where: { relatedResource: { type: { in: ["company", "person"] } }, dateModified: { gt: "2025-01-01T00:50:00.000Z" } }) { totalCount nodes { id relatedResource { id type } } } }' },
  { name: 'a filter that matches nothing, with totalCount and pageInfo', query: `{ companies(first: 5, where: { name: { eq: "nobody" } }) { totalCount nodes { id } edges { cursor } ${PAGE_INFO} } }` },
  { name: 'soft-deleted rows: includeDeleted, deletedAt filter', query: '{ people(first: 50, includeDeleted: true, where: { deletedAt: { isNull: false } }) { totalCount nodes { id deletedAt } } companies(first: 50, includeDeleted: true, where: { NOT: { deletedAt: { isNull: true } } }) { nodes { id } } }' },

  // --- relations
  { name: 'to-one company (dangling ids as null) and primaryContact', query: '{ people(first: 48, includeDeleted: true) { nodes { id companyId company { __typename id name deletedAt } } } opportunities(first: 50, includeDeleted: true) { nodes { id primaryContactId primaryContact { __typename id name } companyId company { id } } } }' },
  { name: 'to-many: company people, opportunities, projects with totalCount', query: `{ companies(first: 50, includeDeleted: true) { nodes { id people(first: 3) { totalCount nodes { id } ${PAGE_INFO} } opportunities(first: 2) { totalCount edges { cursor node { id } } } projects { totalCount nodes { id name } } } } }` },
  { name: 'to-many with where, orderBy, includeDeleted, last', query: '{ companies(first: 10) { nodes { id people(last: 2, includeDeleted: true, where: { name: { isNull: false } }, orderBy: [{ field: NAME, direction: DESC }]) { totalCount nodes { id name deletedAt } pageInfo { hasNextPage hasPreviousPage } } opportunities(orderBy: [{ field: MONETARY_VALUE, direction: DESC }], where: { status: { ne: "Lost" } }) { nodes { id monetaryValue status } } } } }' },
  { name: 'person opportunities and projects', query: '{ people(first: 30) { nodes { id opportunities(first: 5) { totalCount nodes { id primaryContactId } } projects(includeDeleted: true) { totalCount nodes { id deletedAt } } } } }' },
  { name: 'opportunity projects', query: '{ opportunities(first: 50) { nodes { id projects { totalCount nodes { id relatedResource { type } } } } } }' },
  { name: 'nested to-many after a cursor read from the same relation', query: (c) => `{ company(id: "1") { id people(first: 2, after: "${c.people[0]}") { edges { cursor node { id } } ${PAGE_INFO} } } }` },
  {
    name: 'the union with __typename and inline fragments (dangling, unknown type, soft-deleted)',
    query:
      '{ projects(first: 50, includeDeleted: true) { nodes { id relatedResource { id type } relatedRecord { __typename ... on Person { id name company { name } } ... on Company { id name address { city } people(first: 2) { totalCount } } ... on Opportunity { id monetaryValue primaryContact { id } } } } } }',
  },
  { name: 'the union with only __typename, and a fragment on one member', query: '{ projects(first: 50) { nodes { id relatedRecord { __typename } r2: relatedRecord { ... on Company { id } } } } }' },
  { name: 'deep nesting: company > people > opportunities > company > projects', query: '{ companies(first: 5) { nodes { id people(first: 4) { nodes { id opportunities { nodes { id company { id name projects { nodes { id relatedRecord { __typename ... on Company { id } } } } } } } } } } } }' },

  // --- aliases, fragments, directives
  {
    name: 'aliases: the same field twice with different arguments',
    query: '{ a: people(first: 3) { nodes { id } } b: people(first: 3, orderBy: [{ field: NAME, direction: DESC }]) { nodes { id n: name name } } c: company(id: "1") { x: people(first: 1) { nodes { id } } y: people(first: 2, where: { name: { eq: "Eve" } }) { totalCount nodes { id name } } } }',
  },
  {
    name: 'named fragments, nested and on the union',
    query:
      'query { companies(first: 4) { ...CompanyPage } projects(first: 50) { nodes { ...ProjectBits } } } fragment CompanyPage on CompanyConnection { totalCount nodes { ...CompanyBits } pageInfo { ...Page } } fragment CompanyBits on Company { __typename id name people(first: 2) { nodes { ...PersonBits } } } fragment PersonBits on Person { id name company { ...CompanyName } } fragment CompanyName on Company { name } fragment Page on PageInfo { hasNextPage endCursor } fragment ProjectBits on Project { id relatedRecord { ...PersonBits ...CompanyName ... on Opportunity { id } } }',
  },
  {
    name: '@include and @skip with variables, on fields, fragments and relations',
    query:
      'query($yes: Boolean!, $no: Boolean!) { people(first: 10) { nodes { id name @include(if: $yes) title @skip(if: $yes) company @include(if: $yes) { name @skip(if: $no) id } ... on Person @include(if: $no) { emails { email } } opportunities @skip(if: $no) { totalCount @include(if: $yes) } } } companies(first: 2) @skip(if: $yes) { nodes { id } } }',
    variables: { yes: true, no: false },
  },
  { name: '@include false everywhere', query: 'query($f: Boolean!) { people(first: 2) { totalCount @include(if: $f) nodes { id @include(if: $f) name } } }', variables: { f: false } },
  { name: '__typename at the root and every level', query: '{ __typename people(first: 2) { __typename edges { __typename node { __typename company { __typename } address { __typename city } emails { __typename email } } } pageInfo { __typename } } }' },
  { name: 'a named operation with an operationName-less request, and a field twice merged', query: 'query Named { people(first: 3) { nodes { id name } nodes { id title } } }' },

  // --- stats
  { name: 'personStats and companyStats', query: '{ personStats(groupBy: [COMPANY_ID, TITLE]) { key { companyId title } count interactionCount { sum avg min max } } companyStats(groupBy: [ADDRESS_CITY], includeDeleted: true) { key { addressCity } count interactionCount { sum avg min max } } }' },
  { name: 'opportunityStats and projectStats, with where and first', query: '{ opportunityStats(groupBy: [STATUS, MONETARY_UNIT], where: { monetaryValue: { isNull: false } }, first: 4) { key { status monetaryUnit } count monetaryValue { sum avg min max } winProbability { avg max } } projectStats(groupBy: [RELATED_RESOURCE_TYPE]) { key { relatedResourceType } count } all: projectStats { count } }' },

  // --- federation
  {
    name: 'federation entities (missing ids as null)',
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Person { id name company { name } } ... on Company { id name } ... on Opportunity { id monetaryValue } ... on Project { id relatedRecord { __typename } } } }',
    variables: { r: [{ __typename: 'Person', id: '101' }, { __typename: 'Company', id: BIG_ID }, { __typename: 'Person', id: DANGLING_PERSON }, { __typename: 'Opportunity', id: '203' }, { __typename: 'Project', id: '302' }] },
  },

  // --- the benchmark query
  { name: 'the nested benchmark query', query: '{ companies(first: 50) { nodes { people(first: 20) { nodes { opportunities { nodes { company { name } } } } } } } }' },

  // --- the reference data: its root fields, the records' relations to it and back
  {
    name: 'users, pipelines and stages at their root fields',
    query: `{ user(id: "1") { id name email } users { totalCount nodes { id name } } userStats { count }
      pipeline(id: "1") { id name } pipelines { nodes { id name } } pipelineStats(groupBy: [NAME]) { key { name } count }
      pipelineStage(id: "10") { id name pipelineId winProbability } pipelineStages(orderBy: [{ field: NAME }]) { nodes { id name } } pipelineStageStats { count } }`,
  },
  {
    name: 'the other lookups at their root fields',
    query: `{ contactType(id: "1") { id name } contactTypes { nodes { id name } } contactTypeStats { count }
      customerSource(id: "2") { id name } customerSources { nodes { id name } } customerSourceStats { count }
      lossReason(id: "1") { id name } lossReasons { nodes { id name } } lossReasonStats { count }
      customFieldDefinition(id: "1") { id name } customFieldDefinitions { nodes { id name dataType availableOn options { id name rank } } } customFieldDefinitionStats { count } }`,
  },
  {
    name: 'the records with their lookups',
    query: `{ opportunities(first: 50) { nodes { id assignee { name } pipeline { name } pipelineStage { name pipeline { id name } } customerSource { name } lossReason { name } } }
      people(first: 50) { nodes { id contactType { name } assignee { id name } } }
      companies(first: 10) { nodes { id contactType { id name } assignee { name } } }
      projects(first: 10) { nodes { id assignee { name } } } }`,
  },
  {
    name: 'the lookups with the records that point at them',
    query: `{ users { nodes { id opportunities(first: 5) { totalCount nodes { id } } people(first: 3) { nodes { id } } companies { nodes { id } } projects { nodes { id } } } }
      contactTypes { nodes { id people(first: 5) { nodes { id name } } companies { totalCount } } }
      pipelines { nodes { id stages { nodes { id name opportunities(first: 3) { nodes { id } } } } opportunities(first: 4) { totalCount nodes { id } } } }
      customerSources { nodes { opportunities { nodes { id } } } } lossReasons { nodes { opportunities { nodes { id } } } } }`,
  },
  {
    name: 'a filter through a lookup as a variable',
    query: 'query($w: OpportunityWhere) { opportunities(first: 50, where: $w) { totalCount nodes { id pipelineStage { name } } } }',
    variables: { w: { OR: [{ pipelineStage: { name: { eq: 'Negotiation' } } }, { assignee: { name: { startsWith: 'Grace' } } }] } },
  },
  { name: 'stats grouped by lookup names', query: '{ opportunityStats(groupBy: [PIPELINE_STAGE_NAME, CUSTOMER_SOURCE_NAME]) { key { pipelineStageName customerSourceName } count monetaryValue { sum } } personStats(groupBy: [CONTACT_TYPE_NAME]) { key { contactTypeName } count } }' },

  // --- the rest of the root fields
  { name: 'sync status and runs, the federation SDL', query: '{ syncStatus { resource recordCount deletedCount running strategy } syncRuns(first: 3) { id resource } _service { sdl } }' },

  // --- errors, which must match too
  { name: 'a malformed cursor', query: '{ people(first: 2, after: "not-a-cursor") { nodes { id } } }', errors: true },
  { name: 'a cursor of another sort order', query: (c) => `{ people(first: 2, after: "${c.peopleByName[2]}") { nodes { id } } }`, errors: true },
  { name: 'a page size over the maximum', query: '{ companies(first: 501) { nodes { id } } }', errors: true },
  { name: 'a negative page size', query: '{ companies(last: -1) { nodes { id } } }', errors: true },
  { name: 'first and last together', query: '{ opportunities(first: 2, last: 2) { nodes { id } } }', errors: true },
  { name: 'an error in a nested connection (data kept around it)', query: '{ a: companies(first: 3) { nodes { id people(first: 100000) { nodes { id } } } } b: person(id: "101") { id } }', errors: true },
  { name: 'an error beside good root fields', query: '{ good: people(first: 2) { nodes { id } } bad: people(first: 2, before: "%%%") { nodes { id } } }', errors: true },
  { name: 'a variable of the wrong type', query: 'query($n: Int) { people(first: $n) { nodes { id } } }', variables: { n: 'ten' }, errors: true },
  { name: 'a bad LocalDate in a filter', query: '{ opportunities(first: 2, where: { closeDate: { eq: "2026-13-45" } }) { nodes { id } } }', errors: true },
  { name: 'a field that does not exist', query: '{ people(first: 2) { nodes { id nope } } }', errors: true },
];
