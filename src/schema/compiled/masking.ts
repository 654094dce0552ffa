import type { Access } from '../access/access.js';
import { isPersonalProperty } from '../access/personal-fields.js';
import type { ResourceModel } from '../model/resource-models.js';
import { notCompiled } from './not-compiled.js';

/**
 * Personal fields on the compiled path, kept to the loaders' rule (access.ts): a caller without
 * `read:pii` gets null for them and the response names them under `extensions.masked`. The
 * loaders name a field when the resolver that reads its records runs; at the root that is
 * always, deeper only when some parent has the relation (a company with no people masks no
 * `Person` field). One statement cannot tell in advance, so a query whose deeper selections
 * would mask a field the root does not already mask is left to the loaders.
 */
export class Masking {
  private readonly always = new Set<string>();
  private readonly sometimes = new Set<string>();

  constructor(private readonly access: Access) {}

  /** The properties the caller may read; the others are noted as masked, always or depending on data. */
  kept(model: ResourceModel, properties: Iterable<string>, dependsOnData: boolean): ReadonlySet<string> {
    const all = new Set(properties);
    if (this.access.readsPersonalData) return all;
    const kept = new Set<string>();
    for (const property of all) {
      if (!isPersonalProperty(property)) kept.add(property);
      else (dependsOnData ? this.sometimes : this.always).add(`${model.typeName}.${property}`);
    }
    return kept;
  }

  /** The fields the answer masks (for the request's Access, on every run), or a refusal when that would depend on data. */
  masked(): string[] {
    for (const coordinate of this.sometimes) {
      if (!this.always.has(coordinate)) throw notCompiled(`whether ${coordinate} is masked depends on the data`);
    }
    return [...this.always];
  }
}
