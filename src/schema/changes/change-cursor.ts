import { ChangeCursorError } from '../../changes/change-log.reader.js';
import { excerpt } from '../../errors/excerpt.js';
import { badInput } from '../errors.js';

/** A change cursor is a sequence as decimal text; 19 digits are within a BIGINT. */
const CURSOR = /^(0|[1-9][0-9]{0,18})$/;

/** The sequence a cursor names, or BAD_USER_INPUT saying what was expected and (an excerpt of) what arrived. */
export function parseChangeCursor(cursor: string, argument = 'after'): bigint {
  if (!CURSOR.test(cursor)) {
    throw badInput(`${argument}: expected a cursor from changes or recordsChanged (the endCursor or cursor they return), got ${JSON.stringify(excerpt(cursor, 40))}`);
  }
  return BigInt(cursor);
}

/** Runs `read`, turning a cursor the log cannot continue (pruned, or from another database) into BAD_USER_INPUT. */
export async function withCursorErrorsAsInput<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ChangeCursorError) throw badInput(`after: ${error.message}`);
    throw error;
  }
}
