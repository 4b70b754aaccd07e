import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, Scenario } from './cli-harness.js';

/*
 * The bundle (scripts/bundle.mjs) is built differently (esbuild, zod/mini tree-shaken)
 * from dist/src; a user must read the same words from either. A config with one problem of
 * each kind zod reports (wrong type, unknown key, bound, missing key, enum, custom check, a
 * connector's own schema) gives the same stderr and exit code from both entries.
 */
const COMPILED = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const BUNDLE = join(ROOT, 'dist', 'bundle', 'cli', 'main.js');

const mtime = (f: string) => statSync(f, { throwIfNoEntry: false })?.mtimeMs;
const bundleFresh = () => {
  const b = mtime(BUNDLE);
  const c = mtime(COMPILED);
  return b !== undefined && c !== undefined && b >= c;
};

test('a bad config reads the same from the bundle as from dist/src', { skip: bundleFresh() ? false : 'no bundle newer than dist/src (run `npm run build`)' }, () => {
  const s = new Scenario('bundle-messages');
  try {
    s.config([
      'store: sqlite:./pimhub.db',
      'deleteGuard: half',
      'colour: red',
      'schedule: every hour',
      'server:',
      '  maxBodyBytes: -5',
      '  tls: { cert: ./c.pem }',
      '  users:',
      '    alice: { passwordEnv: 1PW }',
      'connectors:',
      '  cloud: { type: carddav, url: "ftp://x", username: alice, timeoutMs: 50, batchSize: 1.5, vcardVersion: "5.0", extra: 1 }',
      '  desk: { type: vdir, path: 7 }',
      '  sheet: { type: google-csv }',
      'collections:',
      '  contacts: { kind: contacts, members: [cloud, desk, sheet], owner: alice, color: [1] }',
      '  cal: { kind: agenda, members: [] }',
      '',
    ].join('\n'));
    const run = (entry: string, args: string[]) => spawnSync(process.execPath, [entry, '-c', s.path('pimhub.yaml'), ...args], { cwd: s.dir, encoding: 'utf8' });
    for (const args of [['status'], ['check'], ['sync', '--json']]) {
      const compiled = run(COMPILED, args);
      const bundled = run(BUNDLE, args);
      assert.equal(compiled.status, 2, `${args.join(' ')}: a config error`);
      assert.match(compiled.stderr, /deleteGuard: expected a number/, 'the messages are the config layer\'s');
      assert.match(compiled.stderr, /connectors\.cloud\.timeoutMs: /);
      assert.equal(bundled.status, compiled.status, args.join(' '));
      assert.equal(bundled.stderr, compiled.stderr, args.join(' '));
      assert.equal(bundled.stdout, compiled.stdout, args.join(' '));
    }
  } finally {
    s.cleanup();
  }
});
