import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Scenario } from '../cli/cli-harness.js';
import { skipUnless, startServe, stopServe } from './real-client-helpers.js';
import { vcard, vevent } from './server-harness.js';

const skip = skipUnless('syncevolution');
const PW = 'syncevo-pass';

/** Debian's SyncEvolution, configured with its `webdav` template, lists and reads what pimhub serves. */
describe('client: syncevolution (webdav template) against pimhub serve', { skip }, () => {
  let s: Scenario;
  let serve: { base: string; proc: ChildProcess };
  const se = (args: string[]) => {
    const home = s.path('se-home');
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_DATA_HOME: `${home}/.local/share`, XDG_CACHE_HOME: `${home}/.cache` };
    const r = spawnSync('syncevolution', args, { encoding: 'utf8', env, timeout: 60000 });
    assert.equal(r.status, 0, `syncevolution ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    s = new Scenario('syncevolution');
    for (const d of ['desk', 'diary', 'se-home']) mkdirSync(s.path(d), { recursive: true });
    s.write('desk/se-anna.vcf', vcard('se-anna', ['FN:Anna Evo', 'N:Evo;Anna;;;']));
    s.write('desk/se-slash.vcf', vcard('se/slash uid', ['FN:Slash Evo']));
    s.write('diary/se-ev.ics', vevent('se-ev', ['SUMMARY:Evo meeting', 'DTSTART:20240105T100000Z', 'DTEND:20240105T110000Z']));
    s.config(`store: sqlite:./pimhub.db
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: PIMHUB_TEST_PW }
connectors:
  desk: { type: vdir, path: ./desk }
  diary: { type: vdir, path: ./diary }
collections:
  contacts: { kind: contacts, members: [desk], owner: alice }
  personal: { kind: calendar, members: [diary], owner: alice }
`);
    assert.equal(s.run(['sync']).code, 0);
    serve = await startServe(s, { PIMHUB_TEST_PW: PW });
    se(['--configure', '--keyring=no', '--template', 'webdav', 'username=alice', `password=${PW}`, `syncURL=${serve.base}/`, 'target-config@pimhub']);
  });
  after(async () => {
    if (serve) await stopServe(serve.proc);
    s?.cleanup();
  });

  test('finds the address book and the calendar through discovery', () => {
    assert.match(se(['--print-databases', '--daemon=no', 'target-config@pimhub', 'addressbook']), /contacts \(http:\/\/[^)]*\/dav\/home\/alice\/contacts\/\)/);
    assert.match(se(['--print-databases', '--daemon=no', 'target-config@pimhub', 'calendar']), /personal \(http:\/\/[^)]*\/dav\/home\/alice\/personal\/\)/);
  });

  test('lists and reads the contacts (a UID with a slash included) and the events', () => {
    const items = se(['--print-items', '--daemon=no', 'target-config@pimhub', 'addressbook']);
    assert.equal(items.trim().split('\n').length, 2, items);
    const cards = se(['--export', '-', '--daemon=no', 'target-config@pimhub', 'addressbook']);
    assert.match(cards, /FN:Anna Evo/);
    assert.match(cards, /UID:se\/slash uid/);
    const events = se(['--export', '-', '--daemon=no', 'target-config@pimhub', 'calendar']);
    assert.match(events, /SUMMARY:Evo meeting/);
  });
});
