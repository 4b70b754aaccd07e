import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl, scrub } from '../../src/store/store-url.js';
import { dbNameOf } from '../../src/store/mongodb/connect.js';

test('store URLs: credentials are redacted, and scrubbed from any message in raw and decoded form', () => {
  const url = 'mongodb://pim:p%40ss%3Aw0rd@db1:27017,db2:27017/pimhub?replicaSet=rs0';
  assert.equal(redactUrl(url), 'mongodb://***@db1:27017,db2:27017/pimhub?replicaSet=rs0');
  assert.equal(redactUrl('mongodb+srv://u:x@cluster.example/db'), 'mongodb+srv://***@cluster.example/db');
  assert.equal(redactUrl('mongodb://db1/pimhub'), 'mongodb://db1/pimhub');
  const msg = scrub(`failed on ${url}: auth p@ss:w0rd refused for p%40ss%3Aw0rd`, url);
  assert.ok(!/p@ss:w0rd|p%40ss%3Aw0rd/.test(msg), msg);
  assert.match(msg, /mongodb:\/\/\*\*\*@db1/);
});

test('mongodb URLs: the database is the path, pimhub when there is none', () => {
  assert.equal(dbNameOf('mongodb://h:1/mine?replicaSet=rs0'), 'mine');
  assert.equal(dbNameOf('mongodb://h:1/?replicaSet=rs0'), 'pimhub');
  assert.equal(dbNameOf('mongodb://u:p@h1:1,h2:2'), 'pimhub');
  assert.equal(dbNameOf('mongodb+srv://cluster.example/org'), 'org');
});
