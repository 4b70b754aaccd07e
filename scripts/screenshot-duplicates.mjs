#!/usr/bin/env node
/**
 * Regenerates docs/review-page-duplicates.png: the review page's Duplicates tab in Debian's
 * Chromium (driven by playwright-core, which downloads no browser), over a store fed by a
 * phone export, a Google CSV, a vdir and an old phone's export holding planted duplicates
 * (a nickname, "Last, First", upper case, an old phone number).
 *
 *   npx tsc -p tsconfig.json && node scripts/screenshot-duplicates.mjs [OUT.png]
 *
 * Runs `pimhub sync` twice and `pimhub serve` on 127.0.0.1 (a free port) in a temporary
 * folder, and stops the server afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'pimhub');
const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve(process.argv[2] ?? join(ROOT, 'docs', 'review-page-duplicates.png'));
const env = { ...process.env, PIMHUB_SHOT_PW: 'screenshot-pass' };

const dir = mkdtempSync(join(tmpdir(), 'pimhub-shot-'));
cpSync(join(ROOT, 'fixtures', 'scenarios', 'duplicates'), join(dir, 'data'), { recursive: true });
// An old phone's export: the same people as the other accounts hold them, written differently.
writeFileSync(join(dir, 'data', 'old-phone.vcf'), [
  // Found by name and organisation only: the sync cannot tell (no shared email or phone).
  ['Lindqvist, Greta', 'Lindqvist;Greta;;;', 'TEL;TYPE=CELL:+46 70 123 45 67', 'ORG:Nordwind AG', 'TITLE:Head of Purchasing'],
  ['CHIDI OKAFOR', 'OKAFOR;CHIDI;;;', 'TEL;TYPE=CELL:07700 900999', 'NOTE:Old number from the 2019 phone'],
].map(([fn, n, ...rest], i) => ['BEGIN:VCARD', 'VERSION:2.1', `N:${n}`, `FN:${fn}`, ...rest, `UID:old-phone-${i + 1}`, 'END:VCARD'].join('\r\n')).join('\r\n') + '\r\n');
writeFileSync(join(dir, 'pimhub.yaml'), `store: sqlite:./pimhub.db
defaultRegion: GB
conflict: newest
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: PIMHUB_SHOT_PW }
connectors:
  phone: { type: vcard-file, path: ./data/iphone-3.0.vcf }
  google: { type: google-csv, path: ./data/google.csv }
  desktop: { type: vdir, path: ./data/vdir }
  oldphone: { type: vcard-file, path: ./data/old-phone.vcf, readOnly: true }
collections:
  contacts: { kind: contacts, members: [phone, google, desktop, oldphone], owner: alice, displayName: Contacts }
`);

const pimhub = (args) => {
  const r = spawnSync(process.execPath, [BIN, '-c', join(dir, 'pimhub.yaml'), ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pimhub ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

let server;
let browser;
try {
  pimhub(['sync']);
  pimhub(['sync']);
  const groups = JSON.parse(pimhub(['duplicates', '--json'])).groups;
  if (groups.length < 2) throw new Error(`expected planted duplicates, found ${groups.length} group(s)`);
  server = spawn(process.execPath, [BIN, '-c', join(dir, 'pimhub.yaml'), 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`pimhub serve did not listen:\n${out}`)), 20_000);
    server.stdout.on('data', (d) => {
      out += String(d);
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) { clearTimeout(timer); ok(url.replace(/\/$/, '')); }
    });
    server.once('exit', (code) => fail(new Error(`pimhub serve exited ${code}:\n${out}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const ctx = await browser.newContext({ httpCredentials: { username: 'alice', password: env.PIMHUB_SHOT_PW }, viewport: { width: 1100, height: 1500 } });
  const page = await ctx.newPage();
  const res = await page.goto(`${base}/review/duplicates`);
  if (res?.status() !== 200) throw new Error(`GET /review/duplicates answered ${res?.status()}`);
  await page.screenshot({ path: OUT, fullPage: false });
  process.stdout.write(`${OUT}: ${groups.length} duplicate groups\n`);
} finally {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((ok) => server.once('exit', ok));
  }
  rmSync(dir, { recursive: true, force: true });
}
