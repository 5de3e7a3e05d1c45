import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { toWords, toWordsByDefinition } from '../../../src/core/risk/rules';

describe('risk: identifiers read as words', () => {
  it('splits camelCase, acronyms, snake_case and digits as the rules expect', () => {
    assert.equal(toWords('verifyPassword'), ' verify password ');
    assert.equal(toWords('HTMLParser'), ' html parser ');
    assert.equal(toWords('getHTTPResponseCode'), ' get http response code ');
    assert.equal(toWords('refresh_token2FA'), ' refresh token2 fa ');
    assert.equal(toWords('  --  '), '  ');
    assert.equal(toWords(''), '  ');
  });

  it('reads other scripts as lower-casing does: the Kelvin sign is a k', () => {
    assert.equal(toWords('o\u212Aauth'), ' okauth ');
    assert.equal(toWords('caf\u00e9Login'), ' caf login ');
  });

  it('the fast path for ASCII gives the words of the definition for any text', () => {
    const chars = fc.constantFrom(...'aAzZbB09_-. $\t\u212A\u0130\u00e9xYHTMLParser');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: chars, maxLength: 24 })), (text) => {
        assert.equal(toWords(text), toWordsByDefinition(text));
      }),
      { numRuns: 2000 },
    );
  });
});
