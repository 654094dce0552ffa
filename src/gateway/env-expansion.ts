/**
 * @file Rover's `${env.NAME}` references, expanded in every string value of a parsed
 * supergraph.yaml. Expanded after parsing, not in the raw text, so that a variable's value can
 * never change the file's structure, and so that a problem can name the YAML path it sits at.
 */

/** A string value that held at least one reference: its text before expansion. */
export type Templates = ReadonlyMap<string, string>;

export interface Expansion {
  value: unknown;
  /** YAML path → the string as written, for error messages (the expanded text may hold a secret). */
  templates: Templates;
  problems: string[];
}

const REFERENCE = /\$\{([^}]*)\}/g;
const ENV_REFERENCE = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Replaces every `${env.NAME}`; an unset variable or another kind of reference is a problem (the value is never shown). */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv): Expansion {
  const templates = new Map<string, string>();
  const problems: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return expandString(node, path);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner, path ? `${path}.${key}` : key)]));
    }
    return node;
  };
  const expandString = (text: string, path: string): string => {
    if (!text.includes('${')) return text;
    templates.set(path, text);
    return text.replace(REFERENCE, (whole, reference: string) => {
      const name = ENV_REFERENCE.exec(reference.trim())?.[1];
      if (name === undefined) {
        problems.push(`${path}: expected a variable reference of the form \${env.NAME}, got "${whole.slice(0, 40)}"`);
        return whole;
      }
      const found = env[name];
      if (found === undefined) {
        problems.push(`${path}: environment variable ${name} is not set`);
        return whole;
      }
      return found;
    });
  };
  return { value: walk(value, ''), templates, problems };
}
