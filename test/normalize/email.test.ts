import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeEmail } from '../../src/normalize/email.js';

test('emails: trimmed, mailto dropped, lower-cased', () => {
  assert.equal(normalizeEmail('  Joerg.Mueller@Beispiel-GmbH.DE '), 'joerg.mueller@beispiel-gmbh.de');
  assert.equal(normalizeEmail('MAILTO:Claire.Dubois@Orange.FR'), 'claire.dubois@orange.fr');
  assert.equal(normalizeEmail('mailto:  j.smith@Example.co.uk'), 'j.smith@example.co.uk');
  assert.equal(normalizeEmail('John Smith <John.Smith@Example.COM>'), 'john.smith@example.com');
  assert.equal(normalizeEmail(''), '');
});
