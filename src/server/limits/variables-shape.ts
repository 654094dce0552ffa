import { GraphQLError } from 'graphql';

/**
 * Bounds on the shape of a request's variables, checked before anything walks them
 * recursively: graphql-js's coercion, the cost estimator and the SQL compiler all recurse, so a
 * 5,000-deep `AND` sent as a variable would overflow the stack in whichever came first. The
 * walk here is iterative. The same nesting written as a literal is refused by the depth limits
 * during validation; variables skip validation, so they are measured here.
 */
export const MAX_VARIABLE_DEPTH = 32;
/** Values (objects, lists and leaves) in all variables together. */
export const MAX_VARIABLE_VALUES = 20_000;

export function checkVariablesShape(variables: Readonly<Record<string, unknown>> | undefined): void {
  if (!variables) return;
  let values = 0;
  const stack: { value: unknown; depth: number }[] = Object.values(variables).map((value) => ({ value, depth: 1 }));
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (++values > MAX_VARIABLE_VALUES) {
      throw refused(`The variables hold more than ${MAX_VARIABLE_VALUES} values; send smaller lists or filters.`);
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_VARIABLE_DEPTH) {
      throw refused(`The variables are nested more than ${MAX_VARIABLE_DEPTH} levels deep; flatten the filter (AND/OR take lists).`);
    }
    for (const inner of Array.isArray(value) ? value : Object.values(value)) stack.push({ value: inner, depth: depth + 1 });
  }
}

const refused = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
