import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli-harness.js';

/* The README's set-up: `npm install -g .` puts pimhub on the PATH (here into a fresh prefix), and `npx pimhub` works inside the clone. */

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm install -g . into a fresh prefix: `pimhub --version` and `pimhub init` work from another folder', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'pimhub-prefix-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'pimhub-elsewhere-'));
  try {
    // --ignore-scripts: npm would run `prepare` (the build) in this very checkout, rewriting
    // dist/ under the test files running beside this one; `npm install` has built it already.
    const install = spawnSync(npm, ['install', '-g', '--prefix', prefix, '.', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    assert.equal(install.status, 0, install.stdout + install.stderr);
    const bin = join(prefix, 'bin', 'pimhub');
    assert.ok(existsSync(bin), `${bin} after npm install -g`);
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`, PIMHUB_CONFIG: '' };
    const v = spawnSync('pimhub', ['--version'], { cwd: elsewhere, encoding: 'utf8', env });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), version);
    const init = spawnSync('pimhub', ['init'], { cwd: elsewhere, encoding: 'utf8', env });
    assert.equal(init.status, 0, init.stderr);
    assert.ok(existsSync(join(elsewhere, 'pimhub.yaml')));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('npx pimhub inside the clone runs the clone\'s CLI, without asking the registry', () => {
  for (const cwd of [ROOT, join(ROOT, 'docs')]) {
    const r = spawnSync(npm, ['exec', '--no', '--', 'pimhub', '--version'], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
    assert.equal(r.status, 0, `${cwd}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout.trim(), version);
  }
});
