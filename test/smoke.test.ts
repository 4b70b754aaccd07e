import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PimError, isPimError } from '../src/core/errors.js';

test('PimError carries its kind and where', () => {
  const e = new PimError('invalid-data', 'bad card', { where: 'a.vcf', line: 3 });
  assert.ok(isPimError(e, 'invalid-data'));
  assert.equal(e.where, 'a.vcf');
  assert.equal(e.line, 3);
  assert.ok(!isPimError(e, 'io'));
});
