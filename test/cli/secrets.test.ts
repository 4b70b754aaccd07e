import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Scenario } from './cli-harness.js';
import { runCli } from '../dav/run-cli.js';
import { DaemonProcess } from './daemon-harness.js';

/* Secrets (shared/SPEC.md §2): a missing one refuses check, sync, serve and daemon (exit 2, named); passwordCommand's first line is the password. */

function scenario(name: string, user: string, connectorSecret = ''): Scenario {
  const s = new Scenario(name);
  mkdirSync(s.path('desk'));
  s.config(`server:
  listen: 127.0.0.1:0
  users:
    alice: ${user}
connectors:
  desk: { type: vdir, path: ./desk }
  cloud: { type: carddav, url: "http://127.0.0.1:9/", username: alice${connectorSecret} }
collections:
  contacts: { kind: contacts, members: [desk], owner: alice }
  remote: { kind: contacts, members: [cloud] }
`);
  return s;
}

test('a user\'s passwordEnv that is not set: check, serve and daemon refuse to start, naming the variable (exit 2)', async () => {
  const s = scenario('secret-missing', '{ passwordEnv: PIMHUB_NOT_SET_ALICE }', ', passwordEnv: PIMHUB_NOT_SET_CLOUD');
  try {
    const env = { PIMHUB_NOT_SET_ALICE: '', PIMHUB_NOT_SET_CLOUD: '' };
    const check = s.run(['check'], env);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /server\.users\.alice\.passwordEnv: the environment variable PIMHUB_NOT_SET_ALICE is not set/);
    assert.match(check.stderr, /connectors\.cloud\.passwordEnv: the environment variable PIMHUB_NOT_SET_CLOUD is not set/, 'both in one report');
    for (const cmd of [['serve'], ['daemon', '--no-initial-sync']]) {
      const r = await runCli(s, cmd, env, 60_000);
      assert.equal(r.code, 2, `${cmd[0]}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /PIMHUB_NOT_SET_ALICE is not set/);
    }
    // sync needs the secrets of the collections it syncs only.
    const sync = s.run(['sync', '--only', 'remote'], env);
    assert.equal(sync.code, 2);
    assert.match(sync.stderr, /PIMHUB_NOT_SET_CLOUD is not set/);
    assert.doesNotMatch(sync.stderr, /PIMHUB_NOT_SET_ALICE/, 'sync does not need the endpoint users');
    const local = s.run(['sync', '--only', 'contacts'], env);
    assert.equal(local.code, 0, local.stderr);
  } finally {
    s.cleanup();
  }
});

test('passwordCommand: a failing command is named (never its output); an endpoint user logs in with the first line it prints', async () => {
  const failing = scenario('secret-cmd-fails', '{ passwordCommand: [sh, -c, "echo leaked-if-printed; exit 4"] }');
  try {
    const r = failing.run(['check']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /server\.users\.alice\.passwordCommand: `sh -c echo leaked-if-printed; exit 4` failed \(exit 4\)/);
    assert.doesNotMatch(r.stderr.replace(/`sh -c echo leaked-if-printed; exit 4`/, ''), /leaked-if-printed/);
  } finally {
    failing.cleanup();
  }
  const s = scenario('secret-cmd', '{ passwordCommand: [sh, -c, "echo from-the-command; echo not-this-line"] }');
  let d: DaemonProcess | undefined;
  try {
    d = await DaemonProcess.start(s, {}, ['--no-initial-sync']);
    const propfind = (password: string) => fetch(`${d!.base}/`, {
      method: 'PROPFIND', headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}` },
    });
    const ok = await propfind('from-the-command');
    await ok.arrayBuffer();
    assert.equal(ok.status, 207);
    for (const wrong of ['not-this-line', 'from-the-command\nnot-this-line', '']) {
      const r = await propfind(wrong);
      await r.arrayBuffer();
      assert.equal(r.status, 401, JSON.stringify(wrong));
    }
    assert.equal(await d.stop('SIGTERM'), 0, d.output());
    assert.doesNotMatch(d.output(), /from-the-command/, 'the secret is never logged');
  } finally {
    await d?.stop('SIGKILL');
    s.cleanup();
  }
});

test('pimhub --version prints the package version; a bad option value is a usage error with a help hint', () => {
  const s = new Scenario('version');
  try {
    const v = s.run(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+$/);
    s.config('collections: {}\n');
    const bad = s.run(['log', '--limit', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--limit lots: expected a positive whole number\n {2}see `pimhub log --help`/);
  } finally {
    s.cleanup();
  }
});
