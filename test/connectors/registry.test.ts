import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectorType, connectorTypeNames, createConnector, type ConnectorType } from '../../connectors/registry.js';
import { connectorSchemas } from '../../connectors/schemas.js';
import { isPimError } from '../../src/core/errors.js';

const DAV_TYPES = ['caldav', 'carddav', 'dav'];
const typeOf = (type: string): Promise<ConnectorType> => connectorType('x', { type });

test('registry: the local types, each refusing unknown keys', async () => {
  assert.deepEqual([...connectorTypeNames].sort(), [...DAV_TYPES, 'google-csv', 'ics-file', 'outlook-csv', 'vcard-file', 'vdir']);
  for (const type of connectorTypeNames.filter((type) => !DAV_TYPES.includes(type))) {
    const t = await typeOf(type);
    assert.ok(t.optionsSchema.safeParse({ type, path: 'x' }).success, type);
    assert.ok(!t.optionsSchema.safeParse({ type, path: 'x', nonsense: 1 }).success, `${type} refuses unknown keys`);
    assert.ok(!t.optionsSchema.safeParse({ type, path: '' }).success, `${type} needs a path`);
  }
});

test('registry: the schema table that config validation loads (without the connectors) names the same types with the same schemas', async () => {
  const schemas = connectorSchemas();
  assert.deepEqual(Object.keys(schemas).sort(), [...connectorTypeNames].sort());
  for (const type of connectorTypeNames) assert.equal(schemas[type], (await typeOf(type)).optionsSchema, type);
});

test('registry: the DAV types take a url, refusing unknown keys', async () => {
  for (const type of DAV_TYPES) {
    const t = await typeOf(type);
    assert.ok(t.optionsSchema.safeParse({ type, url: 'https://dav.example.org/' }).success, type);
    assert.ok(!t.optionsSchema.safeParse({ type, url: 'https://dav.example.org/', path: 'x' }).success, `${type} refuses unknown keys`);
    assert.ok(!t.optionsSchema.safeParse({ type, url: 'ftp://dav.example.org/' }).success, `${type} needs an http(s) url`);
  }
});

test('registry: createConnector makes the named type and refuses unknown ones with the key path', async () => {
  const c = await createConnector('desktop', { type: 'vdir', path: '/tmp' }, { baseDir: '/' });
  assert.equal(c.type, 'vdir');
  assert.equal(c.name, 'desktop');
  await assert.rejects(createConnector('cloud', { type: 'webdav', url: 'x' }, { baseDir: '/' }),
    (e: unknown) => isPimError(e, 'config') && e.message.startsWith('connectors.cloud.type: unknown connector type "webdav"'));
  await assert.rejects(createConnector('x', { path: 'a' }, { baseDir: '/' }), (e: unknown) => isPimError(e, 'config'));
  await assert.rejects(createConnector('x', { type: 'toString' }, { baseDir: '/' }), (e: unknown) => isPimError(e, 'config'));
  await assert.rejects(createConnector('phone', { type: 'vcard-file' }, { baseDir: '/' }),
    (e: unknown) => isPimError(e, 'config') && e.message.includes('connectors.phone.path'));
});
