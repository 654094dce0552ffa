/**
 * The operations GraphiQL opens as tabs on a first visit, one tab each, in this order. Each has
 * exactly one named operation (GraphiQL titles the tab with the name). Field names follow the
 * planned schema; `test/web/graphiql.plugin.test.ts` checks that they parse, and the lead's
 * schema test should validate them against the real schema.
 */
export interface ExampleOperation {
  query: string;
  variables?: Readonly<Record<string, unknown>>;
  headers?: Readonly<Record<string, string>>;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    query: `# Relations: companies, their people
# and each person's opportunities.
query CompaniesWithPeople {
  companies(first: 5) {
    nodes {
      name
      people(first: 3) {
        nodes {
          firstName
          lastName
          opportunities {
            nodes {
              name
              monetaryValue
            }
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Names instead of ids: deals in a
# stage called Negotiation, with their
# stage, pipeline and owner.
query DealsInNegotiation {
  opportunities(
    first: 10
    where: { pipelineStage: { name: { eq: "Negotiation" } } }
  ) {
    nodes {
      name
      pipelineStage { name pipeline { name } }
      assignee { name }
      customerSource { name }
    }
  }
}
`,
  },
  {
    query: `# Filters and ordering: open
# opportunities worth 10,000 or more,
# largest first.
query LargeOpenOpportunities {
  opportunities(
    where: { status: { eq: "Open" }, monetaryValue: { gte: 10000 } }
    orderBy: [{ field: MONETARY_VALUE, direction: DESC }]
  ) {
    nodes {
      id
      name
      status
      monetaryValue
    }
  }
}
`,
  },
  {
    query: `# Cursor pagination: run it, then copy
# pageInfo.endCursor into "after" in
# the Variables pane.
query PeoplePage($after: String) {
  people(first: 10, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
      }
    }
  }
}
`,
    variables: { after: null },
  },
  {
    query: `# Aggregates: opportunities counted and
# summed per status.
query OpportunitiesByStatus {
  opportunityStats(groupBy: [STATUS]) {
    key {
      status
    }
    count
    monetaryValue {
      sum
      avg
    }
  }
}
`,
  },
  {
    query: `# Sync status: each resource's stored
# cursor, row count and whether a sync
# is running.
query SyncStatus {
  syncStatus {
    resource
    cursor
    running
    recordCount
  }
}
`,
  },
  {
    query: `# Live changes over WebSocket: run it,
# then let a sync or a webhook commit.
# To resume without missing a change,
# put the last cursor into "after".
subscription RecordsChanged($after: String) {
  recordsChanged(after: $after) {
    cursor
    resource
    kind
    ids
    source
    committedAt
  }
}
`,
    variables: { after: null },
  },
  {
    query: `# Starts an incremental sync of people.
# Admin only: put the ADMIN_TOKEN in
# the Headers pane.
mutation ResyncPeople {
  resync(resources: [PEOPLE], mode: INCREMENTAL) {
    id
    resource
    status
  }
}
`,
    headers: { Authorization: 'Bearer <ADMIN_TOKEN>' },
  },
];
