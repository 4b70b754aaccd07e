import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Scenario } from './cli-harness.js';
import { runCli } from '../dav/run-cli.js';
import { availability, INSTALL_HINT, radicale } from '../dav/servers.js';

/*
 * Configs shaped like the examples in vdirsyncer's own documentation (tutorial, config
 * reference, "storing passwords", server-to-server pairing), converted through the CLI.
 * DAV URLs point at a closed port, so discovery fails as it does offline.
 */

const CLOSED = 'http://127.0.0.1:9';

function initFrom(s: Scenario, vdirsyncer: string, env: Record<string, string> = {}) {
  s.write('vdirsyncer.conf', vdirsyncer);
  const r = s.run(['init', '--from-vdirsyncer', s.path('vdirsyncer.conf')], { HOME: s.path('home'), ...env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return { r, yaml: parse(require_('pimhub.yaml', s)) as any };
}

function require_(rel: string, s: Scenario): string {
  return readFileSync(s.path(rel), 'utf8');
}

test('the tutorial: a filesystem of address books and a CardDAV account paired "from a", "from b"; the password is not copied', () => {
  const s = new Scenario('vds-tutorial');
  try {
    mkdirSync(s.path('home', '.contacts', 'family'), { recursive: true });
    mkdirSync(s.path('home', '.contacts', 'work'), { recursive: true });
    const { r, yaml } = initFrom(s, `[general]
status_path = "~/.vdirsyncer/status/"

[pair my_contacts]
a = "my_contacts_local"
b = "my_contacts_remote"
collections = ["from a", "from b"]

[storage my_contacts_local]
type = "filesystem"
path = "~/.contacts/"
fileext = ".vcf"

[storage my_contacts_remote]
type = "carddav"

# a comment between keys
url = "${CLOSED}/remote.php/carddav/"
username = "bob"
password = "asdf"
`);
    assert.deepEqual(yaml.connectors.my_contacts_local_family, { type: 'vdir', path: '~/.contacts/family' });
    assert.deepEqual(yaml.connectors.my_contacts_remote, { type: 'carddav', url: `${CLOSED}/remote.php/carddav/`, username: 'bob', passwordEnv: 'MY_CONTACTS_REMOTE_PASSWORD' });
    assert.deepEqual(yaml.collections['my_contacts-family'], { kind: 'contacts', members: ['my_contacts_local_family', 'my_contacts_remote/family'] });
    assert.deepEqual(Object.keys(yaml.collections).sort(), ['my_contacts-family', 'my_contacts-work']);
    assert.doesNotMatch(require_('pimhub.yaml', s), /asdf/, 'the password never reaches the new file');
    assert.doesNotMatch(r.stdout, /asdf/);
    assert.match(r.stdout, /set MY_CONTACTS_REMOTE_PASSWORD/);
    assert.match(r.stdout, /could not list its collections/);
    // The config it wrote validates; check then names the variable to set (exit 2).
    const check = s.run(['check'], { HOME: s.path('home') });
    assert.equal(check.code, 2, check.stdout + check.stderr);
    assert.match(check.stderr, /connectors\.my_contacts_remote\.passwordEnv: the environment variable MY_CONTACTS_REMOTE_PASSWORD is not set/);
  } finally {
    s.cleanup();
  }
});

test('calendars with metadata, password.fetch commands, a single file, server-to-server pairing, and what cannot be mapped', () => {
  const s = new Scenario('vds-many');
  try {
    const { r, yaml } = initFrom(s, `[general]
status_path = "~/.vdirsyncer/status/"

[pair my_calendars]
a = "my_calendars_local"
b = "my_calendars_remote"
collections = ["private", "work"]
metadata = ["color"]
conflict_resolution = "b wins"

[storage my_calendars_local]
type = "filesystem"
path = "~/.calendars/"
fileext = ".ics"

[storage my_calendars_remote]
type = "caldav"
url = "${CLOSED}/remote.php/caldav/"
username = "bob"
password.fetch = ["command", "pass", "show", "owncloud/bob"]

[pair doublecloud]
a = "my_nextcloud"
b = "my_icloud"
collections = [["mytest", "test", "3b4c9995-5c67-4021-9fa0-be4633623e1c"]]

[storage my_nextcloud]
type = "caldav"
url = "${CLOSED}/remote.php/dav/"
username = "alice"
password.fetch = ["prompt", "Password for Nextcloud"]

[storage my_icloud]
type = "caldav"
url = "${CLOSED}/icloud/"
username = "alice@icloud.com"
password.fetch = ["keyring", "icloud", "alice"]
verify = false

[pair tasks]
a = "tasks_file"
b = "tasks_remote"
collections = null

[storage tasks_file]
type = "singlefile"
path = "~/tasks.ics"

[storage tasks_remote]
type = "caldav"
url = "${CLOSED}/dav/tasks/"
username = "bob"
password.fetch = ["command", "pass", "show", "owncloud/bob"]

[pair google]
a = "g_local"
b = "g_remote"
collections = ["from b"]

[storage g_local]
type = "filesystem"
path = "~/.gcontacts/"
fileext = ".vcf"

[storage g_remote]
type = "google_contacts"
token_file = "~/.vdirsyncer/google_token"
client_id = "x"
client_secret = "y"
`);
    assert.deepEqual(yaml.connectors.my_calendars_remote.passwordCommand, ['pass', 'show', 'owncloud/bob']);
    assert.deepEqual(yaml.collections['my_calendars-private'], { kind: 'calendar', members: ['my_calendars_local_private', 'my_calendars_remote/private'] });
    assert.equal(yaml.connectors.my_calendars_local_work.path, '~/.calendars/work');
    assert.ok(existsSync(s.path('home', '.calendars', 'work')), 'the local folder of a named collection is made');
    assert.deepEqual(yaml.collections['doublecloud-mytest'].members, ['my_nextcloud/test', 'my_icloud/3b4c9995-5c67-4021-9fa0-be4633623e1c']);
    assert.equal(yaml.connectors.my_icloud.insecure, true);
    assert.equal(yaml.connectors.my_nextcloud.passwordEnv, 'MY_NEXTCLOUD_PASSWORD');
    assert.deepEqual(yaml.connectors.tasks_file, { type: 'ics-file', path: '~/tasks.ics' });
    assert.deepEqual(yaml.collections.tasks, { kind: 'calendar', members: ['tasks_file', 'tasks_remote'] });
    assert.equal(yaml.conflict, 'prefer:my_calendars_remote');
    assert.equal(yaml.connectors.g_remote, undefined);
    assert.equal(yaml.collections.google, undefined, 'nothing to pair the local folder with: no collection');
    for (const why of [/storage g_remote \(type google_contacts\): not mapped: pimhub has no Google API connector/, /password\.fetch \["prompt"/, /password\.fetch \["keyring"/, /metadata \["color"\]/, /verify = false became insecure: true/]) {
      assert.match(r.stdout, why);
      assert.match(require_('pimhub.yaml', s), why, 'the notes are in the file too');
    }
    // The file is a valid pimhub config (check stops at the unset variables, naming both).
    const check = s.run(['check'], { HOME: s.path('home'), PATH: process.env.PATH ?? '' });
    assert.equal(check.code, 2);
    assert.match(check.stderr, /MY_NEXTCLOUD_PASSWORD is not set/);
    assert.match(check.stderr, /MY_ICLOUD_PASSWORD is not set/);
    assert.doesNotMatch(check.stderr, /unknown key|expected/);
  } finally {
    s.cleanup();
  }
});

test('the older tutorial form: unquoted values, one address book per storage (no collections), a password_command in general', () => {
  const s = new Scenario('vds-old');
  try {
    const { r, yaml } = initFrom(s, `[general]
status_path = ~/.vdirsyncer/status/
password_command = get-password.sh

[pair my_contacts]
a = my_contacts_local
b = my_contacts_remote
conflict_resolution = a wins

[storage my_contacts_local]
type = filesystem
path = ~/.contacts/
fileext = .vcf

[storage my_contacts_remote]
type = carddav
url = ${CLOSED}/remote.php/carddav/addressbooks/bob/default/
username = bob
`);
    assert.deepEqual(yaml.connectors, {
      my_contacts_local: { type: 'vdir', path: '~/.contacts/' },
      my_contacts_remote: { type: 'carddav', url: `${CLOSED}/remote.php/carddav/addressbooks/bob/default/`, username: 'bob' },
    });
    assert.deepEqual(yaml.collections, { my_contacts: { kind: 'contacts', members: ['my_contacts_local', 'my_contacts_remote'] } });
    assert.equal(yaml.conflict, 'prefer:my_contacts_local');
    assert.match(r.stdout, /general\.password_command: not carried over/);
  } finally {
    s.cleanup();
  }
});

test('no vdirsyncer config there: exit 1 naming the file; an existing pimhub.yaml is not overwritten', () => {
  const s = new Scenario('vds-missing');
  try {
    const r = s.run(['init', '--from-vdirsyncer', s.path('nope')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nope: cannot read the vdirsyncer config/);
    s.config('store: sqlite:./x.db\n');
    s.write('v.conf', '[general]\nstatus_path = "x"\n[pair p]\na = "l"\nb = "l2"\n[storage l]\ntype = "filesystem"\npath = "./a"\nfileext = ".vcf"\n[storage l2]\ntype = "filesystem"\npath = "./b"\nfileext = ".vcf"\n');
    assert.equal(s.run(['init', '--from-vdirsyncer', s.path('v.conf')]).code, 2);
    assert.equal(require_('pimhub.yaml', s), 'store: sqlite:./x.db\n');
  } finally {
    s.cleanup();
  }
});

const run = availability(radicale);
test('from a vdirsyncer config of a real Radicale: init discovers the address books and calendars, check reaches them, sync writes to them', { skip: run === 'skip' ? `${radicale.binary} is missing: ${INSTALL_HINT}` : false }, async () => {
  if (run === 'fail') throw new Error(`${radicale.binary} is missing; under CI=true a DAV server test may not be skipped: ${INSTALL_HINT}`);
  const server = await radicale.start();
  const s = new Scenario('vds-radicale');
  try {
    await server.newCollection('contacts', 'friends');
    await server.newCollection('calendar', 'personal');
    s.copy('calendars/vdir-personal', 'home/calendars/personal');
    mkdirSync(s.path('home', 'contacts', 'friends'), { recursive: true });
    s.write('vdirsyncer.conf', `[general]
status_path = "~/.vdirsyncer/status/"

[pair contacts]
a = "contacts_local"
b = "contacts_remote"
collections = ["from a", "from b"]
conflict_resolution = "b wins"

[storage contacts_local]
type = "filesystem"
path = "~/contacts/"
fileext = ".vcf"

[storage contacts_remote]
type = "carddav"
url = "${server.url}"
username = "${server.username}"
password.fetch = ["command", "sh", "-c", "echo $RADICALE_PW; echo second line ignored"]

[pair calendar]
a = "calendar_local"
b = "calendar_remote"
collections = ["from a", "from b"]
metadata = ["displayname", "color"]

[storage calendar_local]
type = "filesystem"
path = "~/calendars/"
fileext = ".ics"

[storage calendar_remote]
type = "caldav"
url = "${server.url}"
username = "${server.username}"
password.fetch = ["command", "sh", "-c", "echo $RADICALE_PW"]
`);
    const env = { HOME: s.path('home'), RADICALE_PW: server.password! };
    const init = await runCli(s, ['init', '--from-vdirsyncer', s.path('vdirsyncer.conf')], env);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    const yaml = parse(require_('pimhub.yaml', s));
    assert.deepEqual(yaml.collections['contacts-friends'], { kind: 'contacts', members: ['contacts_local_friends', 'contacts_remote/friends'] });
    assert.deepEqual(yaml.collections['calendar-personal'], { kind: 'calendar', members: ['calendar_local_personal', 'calendar_remote/personal'] });
    assert.deepEqual(yaml.connectors.contacts_remote.passwordCommand, ['sh', '-c', 'echo $RADICALE_PW; echo second line ignored']);
    assert.doesNotMatch(require_('pimhub.yaml', s) + init.stdout + init.stderr, new RegExp(server.password!));

    const check = await runCli(s, ['check', '--json'], env);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const connectors = check.json<{ connectors: Array<{ name: string; ok: boolean; collections?: Array<{ name: string }> }> }>().connectors;
    assert.ok(connectors.every((c) => c.ok), JSON.stringify(connectors));
    assert.ok(connectors.find((c) => c.name === 'contacts_remote')!.collections!.some((c) => c.name === 'friends'));
    assert.doesNotMatch(check.stdout + check.stderr, new RegExp(server.password!));

    const sync = await runCli(s, ['sync', '--json'], env);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);
    const r = await server.request('PROPFIND', `${server.url}${server.username}/personal/`, undefined, { Depth: '1' });
    const listing = await r.text();
    assert.ok((listing.match(/\.ics</g) ?? []).length >= readdirSync(s.path('home', 'calendars', 'personal')).filter((f) => f.endsWith('.ics')).length, listing);
    // A wrong password from the command: check fails on that connector, naming it, never the password.
    const bad = await runCli(s, ['check'], { ...env, RADICALE_PW: 'wrong-password' });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /connector contacts_remote \(carddav\): FAILED/);
    assert.doesNotMatch(bad.stdout + bad.stderr, /wrong-password/);
  } finally {
    s.cleanup();
    await server.stop();
  }
});
