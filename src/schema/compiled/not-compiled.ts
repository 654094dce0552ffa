/**
 * The compiler does not take this operation (a field it does not cover, an error the loaders
 * report, an answer that would depend on data in a way one statement cannot tell): the loader
 * path answers it instead. Never shown to a client.
 */
export class NotCompiled extends Error {
  override name = 'NotCompiled';
}

export const notCompiled = (why: string): NotCompiled => new NotCompiled(why);
