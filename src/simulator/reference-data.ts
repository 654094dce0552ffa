import type { UpstreamRecord } from './resources.js';

/**
 * The reference data the simulator's records point at, consistent with the ids its record
 * builders use (record-builders.ts): users 1..40 (assignee_id), contact types 1..6, customer
 * sources 1..8, loss reasons 1..6, pipelines 1..3 with stages 10..15, and the custom field
 * definitions 3, 4, 7, 9, 11 and 12 (11's values 100..120 and 12's 8..12 are option ids).
 * Tests change it through `set` and `remove`, as an admin would in the CRM.
 */
export const REFERENCE_LISTS = ['users', 'pipelines', 'pipeline_stages', 'contact_types', 'customer_sources', 'loss_reasons', 'custom_field_definitions'] as const;
export type ReferenceList = (typeof REFERENCE_LISTS)[number];

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds'];
const named = (names: readonly string[], firstId = 1) => names.map((name, i) => ({ id: firstId + i, name }));
const options = (firstId: number, names: readonly string[]) => names.map((name, i) => ({ id: firstId + i, name, rank: i }));

function initialLists(): Record<ReferenceList, UpstreamRecord[]> {
  const users = Array.from({ length: 40 }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    return { id: i + 1, name, email: `${name.toLowerCase().replace(' ', '.')}@example.com` };
  });
  const stages = [10, 11, 12, 13, 14, 15].map((id, i) => ({ id, name: ['Qualified', 'Negotiation', 'Proposal', 'Negotiation', 'Demo', 'Closing'][i], pipeline_id: 1 + Math.floor(i / 2), win_probability: 20 + 15 * i }));
  return {
    users,
    pipeline_stages: stages,
    pipelines: named(['Sales', 'Renewals', 'Partners']),
    contact_types: named(['Potential Customer', 'Current Customer', 'Uncategorized', 'Partner', 'Competitor', 'Other']),
    customer_sources: named(['Email', 'Cold Call', 'Advertising', 'Referral', 'Website', 'Trade Show', 'Partner', 'Other']),
    loss_reasons: named(['Price', 'Timing', 'Competitor', 'No Budget', 'No Decision', 'Other']),
    custom_field_definitions: [
      { id: 3, name: 'Tier', data_type: 'String', available_on: ['person', 'company', 'opportunity', 'project'], options: [] },
      { id: 4, name: 'Score', data_type: 'Float', available_on: ['person', 'company', 'opportunity', 'project'], options: [] },
      { id: 7, name: 'Newsletter', data_type: 'Checkbox', available_on: ['person', 'company', 'opportunity', 'project'], options: [] },
      { id: 9, name: 'Renewal Date', data_type: 'Date', available_on: ['person', 'company', 'opportunity', 'project'], options: [] },
      { id: 11, name: 'Region', data_type: 'Dropdown', available_on: ['person', 'company', 'opportunity', 'project'], options: options(100, ['EMEA', 'Americas', 'APAC', 'LATAM', 'Nordics', 'DACH', 'Benelux', 'Iberia', 'UK', 'France', 'Italy', 'Poland', 'Baltics', 'Balkans', 'Turkey', 'Middle East', 'Africa', 'India', 'Japan', 'Korea', 'Oceania']) },
      { id: 12, name: 'Interests', data_type: 'MultiSelect', available_on: ['person', 'company', 'opportunity', 'project'], options: options(8, ['Hardware', 'Software', 'Services', 'Training', 'Support']) },
    ],
  };
}

export class ReferenceData {
  private readonly lists = initialLists();
  /** An unkind mode: the users search answers page 1 whatever `page_number` says (a known failure of such APIs). */
  usersIgnorePageNumber = false;

  /** The stages embedded in each pipeline, as `GET /v1/pipelines` answers. */
  list(name: ReferenceList): UpstreamRecord[] {
    if (name !== 'pipelines') return this.lists[name].map((r) => ({ ...r }));
    return this.lists.pipelines.map((p) => ({ ...p, stages: this.lists.pipeline_stages.filter((s) => s.pipeline_id === p.id).map(({ id, name, win_probability }) => ({ id, name, win_probability })) }));
  }

  /** Adds the row, or replaces the one with its id. */
  set(name: ReferenceList, row: UpstreamRecord & { id: number }): void {
    const list = this.lists[name];
    const at = list.findIndex((r) => r.id === row.id);
    if (at === -1) list.push({ ...row });
    else list[at] = { ...row };
  }

  remove(name: ReferenceList, id: number): void {
    this.lists[name] = this.lists[name].filter((r) => r.id !== id);
  }
}

/** The route of a list: `GET /v1/<name>`, and users as a paged search. */
export function referenceRouteOf(path: string): { list: ReferenceList; method: 'GET' | 'POST' } | undefined {
  if (path === '/v1/users/search') return { list: 'users', method: 'POST' };
  const match = /^\/v1\/([a-z_]+)$/.exec(path);
  const list = REFERENCE_LISTS.find((name) => name !== 'users' && name === match?.[1]);
  return list ? { list, method: 'GET' } : undefined;
}
