import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectorTypes, createConnector } from '../../connectors/registry.js';
import { connectorSchemas } from '../../connectors/schemas.js';
import { isPimError } from '../../src/core/errors.js';

const DAV_TYPES = ['caldav', 'carddav', 'dav'];

test('registry: the local types, each refusing unknown keys', () => {
  assert.deepEqual(Object.keys(connectorTypes).sort(), [...DAV_TYPES, 'google-csv', 'ics-file', 'outlook-csv', 'vcard-file', 'vdir']);
  for (const [type, t] of Object.entries(connectorTypes).filter(([type]) => !DAV_TYPES.includes(type))) {
    assert.ok(t.optionsSchema.safeParse({ type, path: 'x' }).success, type);
    assert.ok(!t.optionsSchema.safeParse({ type, path: 'x', nonsense: 1 }).success, `${type} refuses unknown keys`);
    assert.ok(!t.optionsSchema.safeParse({ type, path: '' }).success, `${type} needs a path`);
  }
});

test('registry: the schema table that config validation loads (without the connectors) names the same types with the same schemas', () => {
  const schemas = connectorSchemas();
  assert.deepEqual(Object.keys(schemas).sort(), Object.keys(connectorTypes).sort());
  for (const [type, t] of Object.entries(connectorTypes)) assert.equal(schemas[type], t.optionsSchema, type);
});

test('registry: the DAV types take a url, refusing unknown keys', () => {
  for (const type of DAV_TYPES) {
    const t = connectorTypes[type]!;
    assert.ok(t.optionsSchema.safeParse({ type, url: 'https://dav.example.org/' }).success, type);
    assert.ok(!t.optionsSchema.safeParse({ type, url: 'https://dav.example.org/', path: 'x' }).success, `${type} refuses unknown keys`);
    assert.ok(!t.optionsSchema.safeParse({ type, url: 'ftp://dav.example.org/' }).success, `${type} needs an http(s) url`);
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
