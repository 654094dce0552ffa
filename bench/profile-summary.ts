import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { COMPILED_PREFIX } from './lib/compile.js';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self
 * time, and self time grouped by where the code lives (a package, a folder of src/, Node
 * internals, GC, idle). Usage: node --import tsx bench/profile-summary.ts FILE [--top N]
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Busy = not idle. */
  busyMs: number;
  functions: { name: string; where: string; selfMs: number; percentOfBusy: number }[];
  areas: { area: string; selfMs: number; percentOfBusy: number }[];
  /** The project's own functions (src/) by total time: their own plus everything they called. */
  ownInclusive: { name: string; where: string; totalMs: number; percentOfBusy: number }[];
}

const ROOT = relative('/', process.cwd());

/** Where a script lives, shortened: `typeorm/query-builder/InsertQueryBuilder.js`, `src/sync/page-writer.ts`. */
function locate(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  // Workers run from the compiled copy of the project: name the source file.
  const compiled = path.indexOf(COMPILED_PREFIX);
  if (compiled >= 0) return path.slice(compiled + COMPILED_PREFIX.length).replace(/\.js$/, '.ts');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  if (path.startsWith('node:') || (!path.startsWith('/') && path !== '')) return `node:${path.replace(/^node:/, '')}`;
  const rel = path.startsWith('/') ? relative(`/${ROOT}`, path) : path;
  return rel || '(native)';
}

/** The area a script belongs to: a package name, `src/<folder>`, `bench`, `node` or a V8 pseudo-frame. */
function areaOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const where = locate(frame.url);
  if (where.startsWith('node:')) return 'node internals';
  const parts = where.split('/');
  if (frame.url.includes('node_modules/') && !frame.url.includes(COMPILED_PREFIX)) return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  if (parts[0] === 'src' || parts[0] === 'bench') return parts.slice(0, 2).join('/');
  return where;
}

export function summariseProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  /** A native frame says little by itself: name the nearest JavaScript caller. */
  const callerOf = (id: number): string => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.url) return `${frame.functionName || '(anonymous)'} ${locate(frame.url)}:${frame.lineNumber + 1}`;
    }
    return '';
  };
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1_000));
  const functions = new Map<string, { name: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of selfByNode) {
    const frame = byId.get(id)!.callFrame;
    totalMs += ms;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = frame.url ? `${locate(frame.url)}:${frame.lineNumber + 1}` : frame.functionName.startsWith('(') ? '' : `native, from ${callerOf(id)}`;
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where, selfMs: 0 };
    entry.selfMs += ms;
    functions.set(key, entry);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  // Inclusive time of the project's own functions: each sample counts once per function on its stack.
  const inclusive = new Map<string, { name: string; where: string; totalMs: number }>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1_000;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const where = frame.url ? locate(frame.url) : '';
      if (!where.startsWith('src/')) continue;
      const key = `${frame.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: frame.functionName || '(anonymous)', where, totalMs: 0 };
      entry.totalMs += ms;
      inclusive.set(key, entry);
    }
  });
  const percent = (ms: number) => Math.round((ms / busyMs) * 1_000) / 10;
  return {
    file,
    totalMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    functions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((f) => ({ ...f, selfMs: Math.round(f.selfMs), percentOfBusy: percent(f.selfMs) })),
    areas: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, ms]) => ({ area, selfMs: Math.round(ms), percentOfBusy: percent(ms) })),
    ownInclusive: [...inclusive.values()]
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, top)
      .map((f) => ({ ...f, totalMs: Math.round(f.totalMs), percentOfBusy: percent(f.totalMs) })),
  };
}

export function formatProfileSummary(summary: ProfileSummary, top = 15): string {
  const lines = [
    `### ${relative(process.cwd(), summary.file)}`,
    '',
    `Sampled ${(summary.totalMs / 1_000).toFixed(1)} s, busy (not idle) ${(summary.busyMs / 1_000).toFixed(1)} s.`,
    '',
    '| self time by area | ms | % of busy |',
    '| --- | ---: | ---: |',
    ...summary.areas.slice(0, top).map((a) => `| ${a.area} | ${a.selfMs} | ${a.percentOfBusy} |`),
    '',
    '| top functions by self time | where | ms | % of busy |',
    '| --- | --- | ---: | ---: |',
    ...summary.functions.slice(0, top).map((f) => `| \`${f.name}\` | ${f.where} | ${f.selfMs} | ${f.percentOfBusy} |`),
    '',
    '| project functions by total time (self + callees) | file | ms | % of busy |',
    '| --- | --- | ---: | ---: |',
    ...summary.ownInclusive.slice(0, top).map((f) => `| \`${f.name}\` | ${f.where} | ${f.totalMs} | ${f.percentOfBusy} |`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
  const files = args.filter((a, i) => a !== '--top' && i !== topAt + 1);
  if (files.length === 0) {
    process.stderr.write('usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top N]\n');
    process.exitCode = 2;
  }
  for (const file of files) process.stdout.write(`${formatProfileSummary(summariseProfile(file, Math.max(top, 30)), top)}\n\n`);
}
