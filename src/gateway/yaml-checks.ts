/**
 * @file Small checks on a parsed YAML value, each recording a problem at a YAML path and
 * returning undefined on refusal, so that one pass over a file reports every problem in it.
 */
import { excerpt } from '../errors/excerpt.js';
import type { Templates } from './env-expansion.js';

export class Checks {
  readonly problems: string[] = [];

  constructor(private readonly templates: Templates) {}

  fail(path: string, message: string): undefined {
    this.problems.push(`${path}: ${message}`);
    return undefined;
  }

  /**
   * How a refused value appears in a message: a short excerpt of what was written. A string
   * that held `${env.…}` shows as written, never expanded: the variable may hold a secret.
   */
  shown(path: string, value: unknown): string {
    const template = this.templates.get(path);
    if (template !== undefined) return `${JSON.stringify(excerpt(template, 80))} (before expansion)`;
    if (value === null || value === undefined) return 'nothing';
    if (typeof value === 'string') return JSON.stringify(excerpt(value, 80));
    if (Array.isArray(value)) return 'a list';
    if (typeof value === 'object') return 'a mapping';
    return excerpt(String(value), 80);
  }

  mapping(path: string, value: unknown): Record<string, unknown> | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.fail(path, `expected a mapping, got ${this.shown(path, value)}`);
  }

  /** Refuses keys outside `allowed` (a typo would otherwise be ignored in silence). */
  knownKeys(path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unknown key; expected one of ${allowed.join(', ')}`);
    }
  }

  string(path: string, value: unknown): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value;
    return this.fail(path, `expected a non-empty string, got ${this.shown(path, value)}`);
  }

  httpUrl(path: string, value: unknown): string | undefined {
    const text = this.string(path, value);
    if (text === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(text).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol === 'http:' || protocol === 'https:') return text;
    return this.fail(path, `expected an http(s) URL, got ${this.shown(path, value)}`);
  }

  integer(path: string, value: unknown, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    return this.fail(path, `expected an integer from ${min} to ${max}, got ${this.shown(path, value)}`);
  }

  /** Header names (RFC 9110 tokens), lower-cased. */
  headerNames(path: string, value: unknown): string[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `expected a list of header names, got ${this.shown(path, value)}`);
    const names = value.map((item, index) => this.headerName(`${path}[${index}]`, item));
    return names.every((name) => name !== undefined) ? names.map((name) => name.toLowerCase()) : undefined;
  }

  headerName(path: string, value: unknown): string | undefined {
    if (typeof value === 'string' && HEADER_NAME.test(value)) return value;
    return this.fail(path, `expected a header name (letters, digits, -, _ …), got ${this.shown(path, value)}`);
  }

  /** A mapping of header name → value; a value is never shown in a message (it is often a token). */
  headers(path: string, value: unknown): Record<string, string> | undefined {
    const map = this.mapping(path, value);
    if (map === undefined) return undefined;
    const before = this.problems.length;
    const headers: Record<string, string> = {};
    for (const [name, inner] of Object.entries(map)) {
      if (!HEADER_NAME.test(name)) this.fail(`${path}.${name}`, 'expected a header name (letters, digits, -, _ …)');
      else if (typeof inner !== 'string') this.fail(`${path}.${name}`, 'expected a string value (quote it)');
      else headers[name] = inner;
    }
    return this.problems.length > before ? undefined : headers;
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
