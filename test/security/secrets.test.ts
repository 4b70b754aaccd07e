import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { BIN, Scenario } from '../cli/cli-harness.js';
import { DaemonProcess } from '../cli/daemon-harness.js';
import { freshName } from '../dav/dav-setup.js';
import { runCli } from '../dav/run-cli.js';
import { card, putText } from '../dav/seed.js';
import { forEachServer, type DavServer } from '../dav/servers.js';
import { FaultProxy } from '../reliability/fault-proxy.js';
import { basic, raw } from './attack-helpers.js';

/**
 * Secrets never leave (issue 13, point 6). A real Radicale behind a proxy that fails requests
 * and, like a careless server, repeats the Authorization header and the password in its error
 * bodies and headers; a second DAV connector with a wrong password (401); endpoint users with
 * a password in the environment and a scrypt hash. After failing `check`, `sync` (human and
 * --json), `status`, `log`, a daemon's run with wrong logins and the review page, no output,
 * log line, error, page or byte of the store file holds a password, plain or base64.
 */
const ALICE_PW = 'endpoint-alice-Secret-7731';
const BOB_PW = 'endpoint-bob-Secret-9902';
const WRONG_DAV_PW = 'wrong-dav-Secret-4410';

forEachServer((profile) => {
  if (profile.name !== 'radicale') return;
  describe('secrets stay secret in a failing run', () => {
    let server: DavServer;
    let proxy: FaultProxy;
    const sc = new Scenario('secrets');
    let env: Record<string, string> = {};
    let secrets: string[] = [];
    const outputs: Array<[string, string]> = [];

    const assertClean = (what: string, text: string) => {
      for (const s of secrets) assert.ok(!text.includes(s), `${what} holds a secret (${s.slice(0, 6)}…)`);
    };

    before(async () => {
      server = await profile.start();
      const book = freshName('secrets');
      const bookUrl = await server.newCollection('contacts', book);
      for (let i = 0; i < 5; i++) await putText(server, `${bookUrl}s-${i}.vcf`, card(`s-${i}`, [`FN:Secret Keeper ${i}`]), 'text/vcard');
      proxy = await new FaultProxy(server.url, { seed: 7, echoCredentials: true, rules: [{ fault: '500', rate: 0.5 }, { fault: '503', rate: 0.3 }] }).start();
      const hash = spawnSync(process.execPath, [BIN, 'passwd', 'bob'], { input: `${BOB_PW}\n${BOB_PW}\n`, encoding: 'utf8' });
      const bobHash = /scrypt\$[^"\s]+/.exec(hash.stdout + hash.stderr)?.[0];
      assert.ok(bobHash, `pimhub passwd printed a hash: ${hash.stdout}${hash.stderr}`);
      env = { DAV_PW: server.password!, WRONG_PW: WRONG_DAV_PW, ALICE_PW };
      const pairs = [[server.username!, server.password!], ['alice', WRONG_DAV_PW], ['alice', ALICE_PW], ['bob', BOB_PW]] as const;
      secrets = [...pairs.map(([, p]) => p), ...pairs.map(([u, p]) => Buffer.from(`${u}:${p}`).toString('base64'))];
      mkdirSync(sc.path('cards'));
      sc.write('cards/local.vcf', card('local-1', ['FN:Local One']));
      sc.config([
        'store: sqlite:./pimhub.db',
        'server:',
        '  listen: 127.0.0.1:0',
        '  users:',
        '    alice: { passwordEnv: ALICE_PW }',
        `    bob: { passwordHash: "${bobHash}" }`,
        'connectors:',
        `  cloud: { type: dav, url: "${proxy.url}", username: ${server.username}, passwordEnv: DAV_PW, retries: 0 }`,
        `  other: { type: dav, url: "${server.url}", username: alice, passwordEnv: WRONG_PW, retries: 0 }`,
        '  cards: { type: vdir, path: ./cards }',
        'collections:',
        `  contacts: { kind: contacts, members: [cloud/${book}, cards], owner: alice }`,
        `  others: { kind: contacts, members: [other/${book}], owner: bob }`,
        '',
      ].join('\n'));
    });
    after(async () => {
      await proxy?.stop();
      await server?.stop();
      sc.cleanup();
    });

    test('check, sync, status and log: errors name the URL and user, never a password', async () => {
      for (const args of [['check'], ['check', '--json'], ['sync'], ['sync', '--json'], ['sync', '--json'], ['status', '--json'], ['status'], ['log', '--json'], ['log']]) {
        const r = await runCli(sc, args, env);
        outputs.push([args.join(' '), r.stdout + r.stderr]);
        assertClean(`pimhub ${args.join(' ')}`, r.stdout + r.stderr);
      }
      const sync = outputs.find(([a]) => a === 'sync --json')![1];
      assert.match(sync, /"errors":\s*\[\s*\{/, 'the run failed');
      assert.ok(proxy.injected['500'] + proxy.injected['503'] > 0, 'the proxy failed requests, echoing the credentials');
      assert.match(outputs.find(([a]) => a === 'sync')![1], /401|denied|password|credentials/i, 'the wrong password is reported');
    });

    test('a daemon with wrong logins and a failing sync logs no password; nor does the review page', async () => {
      const d = await DaemonProcess.start(sc, env);
      try {
        await d.waitFor((r) => r.msg === 'sync done' || r.msg === 'sync failed', 60_000, 'the first sync');
        // Wrong logins: one user's real password typed for the other, and guesses.
        for (const [u, p] of [['alice', BOB_PW], ['bob', ALICE_PW], ['alice', `${ALICE_PW}x`], ['mallory', ALICE_PW]] as const) {
          assert.equal((await raw(d.base, 'PROPFIND', '/dav/', { headers: { authorization: basic(u, p), depth: '0' } })).status, 401);
        }
        const page = await raw(d.base, 'GET', '/', { headers: { authorization: basic('alice', ALICE_PW) } });
        assert.equal(page.status, 200);
        assertClean('the review page', page.text);
        const bobPage = await raw(d.base, 'GET', '/', { headers: { authorization: basic('bob', BOB_PW) } });
        assert.equal(bobPage.status, 200);
        assertClean('bob\'s review page', bobPage.text);
        await d.waitFor((r) => String(r.msg).includes('wrong password for user "bob"'), 5000, 'the wrong-login log line');
      } finally {
        await d.stop();
      }
      assertClean('the daemon log', d.output());
      assert.match(d.output(), /wrong password for user \\?"alice\\?" from/);
    });

    test('the store file holds no password', () => {
      const files = readdirSync(sc.dir).filter((f) => f.startsWith('pimhub.db'));
      assert.ok(files.length >= 1);
      for (const f of files) {
        const bytes = readFileSync(sc.path(f));
        for (const s of secrets) {
          for (const enc of ['utf8', 'utf16le'] as const) assert.equal(bytes.indexOf(Buffer.from(s, enc)), -1, `${f} holds a secret (${enc})`);
        }
      }
    });
  });
});
