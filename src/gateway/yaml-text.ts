/**
 * @file A YAML text parsed into plain values, or the reason it is not YAML: the parser's first
 * complaint, its line, and a short excerpt of that line.
 */
import { LineCounter, parseDocument } from 'yaml';

export type ParsedYaml = { ok: true; value: unknown } | { ok: false; problem: string };

const EXCERPT_CHARS = 80;
/** A line that probably holds a credential is not quoted, even when it is the one that broke. */
const SECRET_LOOKING = /authori[sz]ation|token|secret|password|passwd|api[-_]?key|cookie|bearer/i;

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // Unique keys: a subgraph listed twice is a mistake, not "the last one wins".
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error === undefined) return { ok: true, value: doc.toJS() };
  const { line } = lineCounter.linePos(error.pos[0]);
  // An error at the end of the text (an unclosed quote) points past the line that caused it.
  const lines = text.split(/\r?\n/).slice(0, line);
  const source = lines.reverse().find((candidate) => candidate.trim() !== '') ?? '';
  const near = SECRET_LOOKING.test(source) ? '(line not shown: it may hold a credential)' : `near ${JSON.stringify(shorten(source.trim()))}`;
  return { ok: false, problem: `not valid YAML at line ${line}: ${error.message.split('\n')[0]} ${near}` };
}

function shorten(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
