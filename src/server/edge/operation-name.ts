import { Lexer, Source, TokenKind } from 'graphql';
import { excerpt } from '../../errors/excerpt.js';

/** Enough for any document's header; a document whose first operation starts later logs as anonymous. */
const MAX_TOKENS = 2_000;
const OPERATION_KEYWORDS = new Set(['query', 'mutation', 'subscription']);
const NAME_LENGTH = 100;

/**
 * The operation a request names, for the access log: the client's `operationName`, else the name
 * of the first operation in the text (found by lexing, not parsing: cheap, bounded, and it never
 * throws on a broken document), cut to an excerpt; null for an anonymous or unreadable one.
 */
export function operationNameOf(operationName: string | undefined, query: string | undefined): string | null {
  if (operationName) return excerpt(operationName, NAME_LENGTH);
  if (!query) return null;
  try {
    const lexer = new Lexer(new Source(query));
    let depth = 0;
    for (let i = 0; i < MAX_TOKENS; i++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return null;
      if (token.kind === TokenKind.BRACE_L) depth++;
      else if (token.kind === TokenKind.BRACE_R) depth--;
      else if (depth === 0 && token.kind === TokenKind.NAME && OPERATION_KEYWORDS.has(token.value ?? '')) {
        const next = lexer.lookahead();
        return next.kind === TokenKind.NAME && next.value ? excerpt(next.value, NAME_LENGTH) : null;
      }
    }
  } catch {
    // A syntax error: Apollo answers it; the log line just has no name.
  }
  return null;
}
