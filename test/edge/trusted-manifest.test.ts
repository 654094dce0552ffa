import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { loadTrustedDocuments } from '../../src/server/edge/trusted-manifest.js';
import { ALSO_LISTED, apolloManifest, hash, LISTED, relayManifest, writeManifest } from './support/manifests.js';

function refusal(content: unknown): ConfigError {
  try {
    loadTrustedDocuments(writeManifest(content));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the manifest was accepted');
}

describe('trusted documents manifest', () => {
  it("reads Apollo's format: by id, by sha256 of the text, by sha256: prefix", () => {
    const documents = loadTrustedDocuments(writeManifest(apolloManifest([{ body: LISTED, name: 'ListedPeople' }, { body: ALSO_LISTED, name: 'Typename', id: 'custom-id-1' }])));
    expect(documents.format).toBe('apollo');
    expect(documents.size).toBe(2);
    expect(documents.byId(hash('sha256', LISTED))?.name).toBe('ListedPeople');
    expect(documents.byId(`sha256:${hash('sha256', LISTED)}`)?.body).toBe(LISTED);
    // A custom id, and the APQ hash of the same body.
    expect(documents.byId('custom-id-1')?.body).toBe(ALSO_LISTED);
    expect(documents.byId(hash('sha256', ALSO_LISTED))?.body).toBe(ALSO_LISTED);
    expect(documents.byText(LISTED)?.name).toBe('ListedPeople');
    expect(documents.byText(`${LISTED} `)).toBeUndefined();
    expect(documents.byId('nope')).toBeUndefined();
  });

  it("reads Relay's persisted_queries.json with MD5, SHA1 or opaque ids", () => {
    const documents = loadTrustedDocuments(writeManifest({ ...relayManifest([LISTED]), [hash('sha1', ALSO_LISTED)]: ALSO_LISTED, 'q-7': '{ __typename }' }));
    expect(documents.format).toBe('relay');
    expect(documents.byId(hash('md5', LISTED))?.body).toBe(LISTED);
    expect(documents.byId(hash('sha1', ALSO_LISTED))?.body).toBe(ALSO_LISTED);
    expect(documents.byId('q-7')?.body).toBe('{ __typename }');
    expect(documents.byText(ALSO_LISTED)).toBeDefined();
  });

  it('refuses a missing file, naming the setting', () => {
    expect(() => loadTrustedDocuments('/nonexistent/manifest.json')).toThrow(/TRUSTED_DOCUMENTS \(\/nonexistent\/manifest\.json\): expected a manifest file, got no such file/);
  });

  it('refuses text that is not JSON with a short excerpt only', () => {
    const error = refusal(`not json ${'x'.repeat(10_000)}`);
    expect(error.message).toMatch(/expected JSON .*got text that does not parse.*beginning "not json x+… \(\d+ more characters\)"/);
    expect(error.message.length).toBeLessThan(900);
  });

  it('refuses the wrong shape, saying what was expected and what arrived', () => {
    expect(refusal([1, 2]).message).toMatch(/expected Apollo's persisted-query manifest .* or Relay's persisted_queries.json .*, got an array \[1,2\]/);
    expect(refusal({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }).message).toMatch(/"version": expected 1, got a number 2/);
    expect(refusal({ format: 'other', version: 1, operations: [] }).message).toMatch(/"format": expected "apollo-persisted-query-manifest", got a string "other"/);
    expect(refusal({ ...apolloManifest([{ body: LISTED, name: 'ListedPeople' }]), operations: [{ id: 'a', name: 'A', type: 'query', body: 7 }] }).message).toMatch(
      /operations\[0\]\.body: expected a non-empty string, got a number 7/,
    );
    expect(refusal({ abc: 12 }).message).toMatch(/"abc": expected the operation's text \(a non-empty string\), got a number 12/);
    expect(refusal({}).message).toMatch(/expected at least one operation, got none/);
  });

  it('refuses an id shaped like a hash that is not the hash of its body', () => {
    const apollo = apolloManifest([{ body: LISTED, name: 'ListedPeople', id: hash('sha256', ALSO_LISTED) }]);
    expect(refusal(apollo).message).toMatch(new RegExp(`operations\\[0\\]: the id looks like a sha256 hash but is not that of its body: expected ${hash('sha256', LISTED)}, got ${hash('sha256', ALSO_LISTED)}`));
    expect(refusal({ [hash('md5', ALSO_LISTED)]: LISTED }).message).toMatch(/the id looks like a md5 hash but is not that of its body/);
  });

  it('refuses one id with two different bodies', () => {
    const apollo = apolloManifest([{ body: LISTED, name: 'A', id: 'same' }, { body: ALSO_LISTED, name: 'B', id: 'same' }]);
    expect(refusal(apollo).message).toMatch(/id same: expected one body per id, got two different ones/);
  });
});
