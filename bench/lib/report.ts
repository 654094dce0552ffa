/**
 * What a scenario hands back: rows of the final Markdown table (each figure beside its
 * baseline, as absolute and ratio, with its target) and the raw numbers for the JSON file.
 */
export interface TableRow {
  scenario: string;
  measure: string;
  ours: string;
  baseline?: string;
  ratio?: string;
  target?: string;
  /** null: no target, or it could not be judged. */
  met?: boolean | null;
}

export interface ScenarioResult {
  scenario: string;
  rows: TableRow[];
  /** Raw measurements, written to results/latest.json. */
  data: Record<string, unknown>;
  notes: string[];
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  num: (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }),
  // Three decimals below 1, so a ratio just under a 0.50 target does not print as 0.50.
  ratio: (ours: number, base: number) => (base > 0 ? `${(ours / base).toFixed(ours < base ? 3 : 2)}x` : 'n/a'),
  ms: (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`,
  mb: (n: number) => `${n.toFixed(0)} MB`,
};

export function markdownTable(rows: readonly TableRow[]): string {
  const header = '| scenario | measure | ours | baseline | ratio | target | met |\n| --- | --- | ---: | --- | ---: | --- | :---: |';
  const mark = (met: boolean | null | undefined) => (met === true ? 'yes' : met === false ? '**no**' : '');
  const body = rows.map((r) => `| ${r.scenario} | ${r.measure} | ${r.ours} | ${r.baseline ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${mark(r.met)} |`);
  return [header, ...body].join('\n');
}
