import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Scenario } from './cli-harness.js';
import { edit, onlyFile, read } from './files.js';

/**
 * A new user's first hour, through the CLI only: a vdirsyncer set-up (a vdir of contacts
 * paired with an Android export, a vdir calendar paired with an .ics file) becomes a
 * pimhub.yaml; check; a config with typos and its one-pass report; sync; a conflict, its
 * resolution (twice: the second changes nothing); export; the messages along the way.
 */
test('the first hour: init from vdirsyncer, check, a typo\'d config, sync, conflict, resolve, export', () => {
  const s = new Scenario('first-hour');
  try {
    const home = s.path('home');
    mkdirSync(join(home, '.config', 'vdirsyncer'), { recursive: true });
    mkdirSync(join(home, 'exports'), { recursive: true });
    s.copy('contacts/android-2.1.vcf', 'home/exports/family.vcf');
    s.copy('calendars/vdir-personal', 'home/calendars/personal');
    writeFileSync(join(home, '.config', 'vdirsyncer', 'config'), `[general]
status_path = "~/.vdirsyncer/status/"

[pair contacts]
a = "contacts_local"
b = "phone"
collections = ["family"]
conflict_resolution = null

[storage contacts_local]
type = "filesystem"
path = "~/contacts/"
fileext = ".vcf"

[storage phone]
type = "singlefile"
path = "~/exports/%s.vcf"

[pair calendar]
a = "calendar_local"
b = "agenda"

[storage calendar_local]
type = "filesystem"
path = "~/calendars/personal/"
fileext = ".ics"

[storage agenda]
type = "singlefile"
path = "~/agenda.ics"
`);
    const env = { HOME: home };
    const run = (args: string[]) => s.run(args, env);

    // 1. init from the vdirsyncer config where vdirsyncer keeps it (no PATH given).
    const init = run(['init', '--from-vdirsyncer']);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    assert.match(init.stdout, /2 collections \(contacts-family, calendar\)/);
    const good = read(s.path('pimhub.yaml'));

    // 2. check: the config and every connector are fine.
    const check = run(['check']);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /connector phone_family \(vcard-file\): ok/);

    // 3. A config with four typos: one run names them all, each with file:line:column and advice.
    const typo = good
      .replace('type: vdir', 'type: vdri')
      .replace('kind: contacts', 'kind: contact')
      .replace('store: sqlite:./pimhub.db', 'store: sqlite:./pimhub.db\ndeleteGuard: "half"\nschedul: "*/5 * * * *"')
      .replace(/(    path: ~\/exports\/family\.vcf)/, '$1\n    password: secret');
    assert.notEqual(typo, good);
    s.config(typo);
    const bad = run(['sync']);
    assert.equal(bad.code, 2);
    const lineOf = (needle: string) => typo.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const file = s.path('pimhub.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const [needle, re] of [
      ['deleteGuard', /deleteGuard: expected a number, found the text "half"/],
      ['schedul:', /schedul: unknown key; did you mean "schedule"\?/],
      ['type: vdri', /connectors\.contacts_local_family\.type: unknown connector type "vdri"; did you mean "vdir"\?/],
      ['password: secret', /connectors\.phone_family\.password: unknown key; pimhub keeps no password in the file: use passwordEnv: VARIABLE .* or passwordCommand: \[pass, show, NAME\]/],
      ['kind: contact', /collections\.contacts-family\.kind: expected contacts or calendar, found the text "contact"; did you mean "contacts"\?/],
    ] as Array<[string, RegExp]>) {
      assert.match(bad.stderr, new RegExp(`${file}:${lineOf(needle)}:\\d+: ${re.source}`), `${needle}:\n${bad.stderr}`);
    }
    assert.doesNotMatch(bad.stderr, /Invalid input|received|Unrecognized/, 'no raw zod wording');
    assert.match(bad.stderr, /fix what is named above, then run `pimhub check`/);
    s.config(good);

    // 4. The first sync: the Android export's contacts land in the vdir, nickname included.
    const first = run(['sync']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const vdir = join(home, 'contacts', 'family');
    assert.equal(readdirSync(vdir).length, 5);
    assert.match(read(onlyFile(vdir, /Jane Doe/)), /^NICKNAME:Janie\r?$/m, 'khard sees the Android nickname');

    // 5. A conflict: Jane's title changed on the phone and on the desktop.
    const phone = join(home, 'exports', 'family.vcf');
    edit(phone, 'TITLE:Manager, Sales', 'TITLE:Head of Sales');
    edit(onlyFile(vdir, /Jane Doe/), /TITLE:Manager\\?, Sales/, 'TITLE:Sales Director');
    const later = new Date(Date.now() + 60_000);
    utimesSync(onlyFile(vdir, /Jane Doe/), later, later);
    assert.equal(run(['sync']).code, 0);
    const open = run(['log', '--conflicts']);
    assert.equal(open.code, 0);
    assert.match(open.stdout, /conflict/);
    const entries = run(['log', '--conflicts', '--json']).json().entries;
    assert.equal(entries.length, 1);
    const conflict = entries[0];
    const title = conflict.fields.find((f: { field: string }) => f.field === 'title');
    const other = title.values.find((v: { value: string }) => v.value !== title.chosen);
    assert.equal(title.chosen, 'Sales Director', 'newest wins');
    assert.match(open.stdout, new RegExp(`pimhub resolve ${conflict.id} --keep ${other.connector}`));

    // 6. resolve it; resolving again to the same value changes and logs nothing.
    const res = run(['resolve', String(conflict.id), '--keep', other.connector]);
    assert.equal(res.code, 0, res.stderr);
    const again = run(['resolve', String(conflict.id), '--keep', other.connector]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing changed/);
    const resolved = run(['log', '--json']).json().entries.filter((e: { action: string }) => e.action === 'resolved');
    assert.equal(resolved.length, 1, 'one resolved entry, not two');
    const none = run(['log', '--conflicts']);
    assert.match(none.stdout, /no open conflicts/);
    assert.equal(run(['log', '--conflicts', '--json']).json().entries.length, 0);
    const all = run(['log', '--conflicts', '--all']);
    assert.match(all.stdout, new RegExp(`resolved by #${resolved[0].id}`));
    assert.doesNotMatch(all.stdout, /to keep/, 'no "to keep" hint on a resolved conflict');

    // 7. The next sync writes the kept value everywhere; the Android file keeps Android's form.
    assert.equal(run(['sync']).code, 0);
    assert.match(read(onlyFile(vdir, /Jane Doe/)), /TITLE:Head of Sales/);
    const phoneText = read(phone);
    assert.match(phoneText, /TITLE:Head of Sales/);
    assert.match(phoneText, /^X-ANDROID-CUSTOM:vnd\.android\.cursor\.item\/nickname;Janie;1;;;;;;;;;;;;;\r?$/m);
    assert.doesNotMatch(phoneText, /^NICKNAME/m);

    // 8. export: a Google CSV with the nickname; a wrong format is a usage error with fitting advice.
    const csv = run(['export', 'contacts-family', '--format', 'google-csv', '-o', s.path('google.csv')]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(read(s.path('google.csv')), /Janie/);
    const wrong = run(['export', 'contacts-family', '--format', 'ics', '-o', s.path('x.ics')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--format ics does not fit the contacts collection "contacts-family"/);
    assert.doesNotMatch(wrong.stderr, /fix the config file|pimhub check/);
    const ics = run(['export', 'calendar', '--format', 'ics', '-o', s.path('agenda-export.ics')]);
    assert.equal(ics.code, 0, ics.stderr);
    assert.match(read(s.path('agenda-export.ics')), /BEGIN:VEVENT/);

    // 9. resolve of an entry that does not exist: pointed at the log, not at the config.
    const missing = run(['resolve', '99999', '--keep', '0']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no merge log entry 99999/);
    assert.match(missing.stderr, /pimhub log/);
    assert.doesNotMatch(missing.stderr, /path or URL|config/);

    // 10. The desktop folder emptied by mistake: the delete guard names the collection once and the member.
    rmSync(vdir, { recursive: true });
    mkdirSync(vdir);
    const guard = run(['sync']);
    assert.equal(guard.code, 3, guard.stdout + guard.stderr);
    assert.match(guard.stderr, /contacts-family: this run would delete 5 of 5 items \(more than deleteGuard 0\.5\) because they are missing from the listing of contacts_local_family \(5\); nothing was changed/);
    assert.equal(guard.stderr.split('contacts-family').length - 1, 1, `the collection is named once:\n${guard.stderr}`);
    assert.match(read(phone), /Jane Doe/, 'nothing deleted');
  } finally {
    s.cleanup();
  }
});
