import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectorTypes, createConnector } from '../../connectors/registry.js';
import { isPimError } from '../../src/core/errors.js';

test('registry: the local types, each refusing unknown keys', () => {
  assert.deepEqual(Object.keys(connectorTypes).sort(), ['google-csv', 'ics-file', 'outlook-csv', 'vcard-file', 'vdir']);
  for (const [type, t] of Object.entries(connectorTypes)) {
    assert.ok(t.optionsSchema.safeParse({ type, path: 'x' }).success, type);
    assert.ok(!t.optionsSchema.safeParse({ type, path: 'x', nonsense: 1 }).success, `${type} refuses unknown keys`);
    assert.ok(!t.optionsSchema.safeParse({ type, path: '' }).success, `${type} needs a path`);
  }
});

test('registry: createConnector makes the named type and refuses unknown ones with the key path', () => {
  const c = createConnector('desktop', { type: 'vdir', path: '/tmp' }, { baseDir: '/' });
  assert.equal(c.type, 'vdir');
  assert.equal(c.name, 'desktop');
  assert.throws(() => createConnector('cloud', { type: 'webdav', url: 'x' }, { baseDir: '/' }),
    (e: unknown) => isPimError(e, 'config') && e.message.startsWith('connectors.cloud.type: unknown connector type "webdav"'));
  assert.throws(() => createConnector('x', { path: 'a' }, { baseDir: '/' }), (e: unknown) => isPimError(e, 'config'));
  assert.throws(() => createConnector('x', { type: 'toString' }, { baseDir: '/' }), (e: unknown) => isPimError(e, 'config'));
  assert.throws(() => createConnector('phone', { type: 'vcard-file' }, { baseDir: '/' }),
    (e: unknown) => isPimError(e, 'config') && e.message.includes('connectors.phone.path'));
});
