import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePhone } from '../../src/normalize/phone.js';

test('German mobile: national with region DE equals international', () => {
  const a = normalizePhone('0171 1234567', 'DE');
  assert.equal(a, '+491711234567');
  assert.equal(normalizePhone('+49 171 1234567', 'DE'), a);
  assert.equal(normalizePhone('+49 171 1234567'), a);
  assert.equal(normalizePhone('0049 (171) 123-4567'), a);
  assert.equal(normalizePhone('tel:+49-171-1234567'), a);
  assert.equal(normalizePhone('+49 (0)171 1234567'), a);
});

test('French, US, UK, Japanese numbers', () => {
  assert.equal(normalizePhone('01 42 68 53 00', 'FR'), '+33142685300');
  assert.equal(normalizePhone('+33 1 42 68 53 00', 'DE'), '+33142685300');
  assert.equal(normalizePhone('(212) 555-0123', 'US'), '+12125550123');
  assert.equal(normalizePhone('+1 212-555-0123'), '+12125550123');
  assert.equal(normalizePhone('020 7946 0018', 'GB'), '+442079460018');
  assert.equal(normalizePhone('+44 20 7946 0018', 'DE'), '+442079460018');
  assert.equal(normalizePhone('03-1234-5678', 'JP'), '+81312345678');
  assert.equal(normalizePhone('+81 3-1234-5678'), '+81312345678');
});

test('extensions are part of the key', () => {
  assert.equal(normalizePhone('(212) 555-0123 ext. 42', 'US'), '+12125550123;ext=42');
  assert.equal(normalizePhone('tel:+1-212-555-0123;ext=42'), '+12125550123;ext=42');
  assert.notEqual(normalizePhone('(212) 555-0123 ext. 42', 'US'), normalizePhone('(212) 555-0123', 'US'));
});

test('unparsable numbers fall back to digits and plus', () => {
  assert.equal(normalizePhone('0171 1234567'), '01711234567'); // no region: not E.164
  assert.equal(normalizePhone('0171-123 45 67'), normalizePhone('(0171) 1234567'));
  assert.equal(normalizePhone('+999 12 34'), '+9991234');
  assert.equal(normalizePhone('*100#'), '100');
  assert.equal(normalizePhone('voicemail'), 'voicemail');
});
