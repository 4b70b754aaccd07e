import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, Scenario } from '../cli/cli-harness.js';
import { DaemonProcess, eventually } from '../cli/daemon-harness.js';
import { edit, onlyFile, read } from '../cli/files.js';

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it, it downloads no browser. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return `chromium is not installed (apt-get install chromium)`;
}

const ENV = { PIMHUB_TEST_PW: 'browser-pass' };
/** A hung browser fails its test instead of the whole run. */
const T = { timeout: 60_000 };
const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '"><img src=x onerror=alert(2)>';

/**
 * The review page in real headless Chromium against a spawned `pimhub daemon`: log in, see a
 * conflict made by two vdir members edited differently, keep the other value, and watch the
 * daemon's next sync write it to both members. Contacts named like markup show as text and
 * run nothing; a form posted from another site is refused.
 * `PIMHUB_UPDATE_SCREENSHOT=1` also saves the page to docs/review-page.png (for the README).
 */
describe('review page in Chromium', { skip: chromiumSkip() }, () => {
  let s: Scenario;
  let daemon: DaemonProcess;
  let browser: Browser;
    let page: Page;
  const dialogs: string[] = [];
  let conflict: { id: number; loser: { connector: string; value: string }; chosen: string };

  before(async () => {
    s = new Scenario('browser');
    mkdirSync(s.path('a'));
    mkdirSync(s.path('b'));
    s.copy('scenarios/seed-contacts-3.0.vcf', 'seed.vcf');
    s.config(`store: sqlite:./pimhub.db
schedule: "0 0 1 1 *"
conflict: newest
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: PIMHUB_TEST_PW }
connectors:
  phone: { type: vcard-file, path: ./seed.vcf, readOnly: true }
  laptop: { type: vdir, path: ./a }
  tablet: { type: vdir, path: ./b }
collections:
  contacts: { kind: contacts, members: [phone, laptop, tablet], owner: alice, displayName: Contacts }
`);
    assert.equal(s.run(['sync'], ENV).code, 0);
    // The same contact edited on two devices: name and title differ, the phone number only on one.
    edit(onlyFile(s.path('a'), /Jörg/), 'FN:Jörg Müller', 'FN:Jörg Müller-Lüdenscheidt');
    edit(onlyFile(s.path('a'), /Jörg/), 'TITLE:Vertriebsleiter', 'TITLE:Head of Sales');
    edit(onlyFile(s.path('b'), /Jörg/), 'FN:Jörg Müller', 'FN:Jörg Mueller');
    edit(onlyFile(s.path('b'), /Jörg/), 'TITLE:Vertriebsleiter', 'TITLE:Vertriebsdirektor');
    edit(onlyFile(s.path('b'), /Anna/), '+49 160 9876543', '+49 160 9876500');
    const sync = s.run(['sync'], ENV);
    assert.equal(sync.code, 0, sync.stderr);
    const entry = s.run(['log', '--conflicts', '--json'], ENV).json().entries[0];
    const fn = entry.fields.find((f: { field: string }) => f.field === 'fn');
    conflict = { id: entry.id, loser: fn.values.find((v: { value: string }) => v.value !== fn.chosen), chosen: fn.chosen };

    daemon = await DaemonProcess.start(s, ENV, ['--debounce', '0.3']);
    await daemon.waitFor((r) => r.msg === 'sync done', 20_000, 'the first sync');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const ctx: BrowserContext = await browser.newContext({ httpCredentials: { username: 'alice', password: ENV.PIMHUB_TEST_PW }, viewport: { width: 1100, height: 900 } });
    page = await ctx.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, T);

  after(async () => {
    await browser?.close();
    if (daemon) assert.equal(await daemon.stop(), 0, daemon.output());
    s?.cleanup();
  }, T);

  test('without credentials the page asks for a login', T, async () => {
    const r = await fetch(`${daemon.base}/`);
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="pimhub"/);
  });

  test('logs in and sees the conflict side by side', T, async () => {
    const r = await page.goto(`${daemon.base}/`);
    assert.equal(r?.status(), 200);
    const card = page.locator(`#entry-${conflict.id}`);
    await card.waitFor();
    assert.match(await card.locator('.badge').first().innerText(), /conflict/i);
    const cells = await card.locator('.field').first().locator('.cell').allInnerTexts();
    assert.equal(cells.length, 3, cells.join(' | '));
    assert.match(cells[0]!, /base[\s\S]*Jörg Müller/i);
    assert.ok(cells.some((c) => c.includes(conflict.loser.value)));
    assert.ok(cells.some((c) => /kept/i.test(c) && c.includes(conflict.chosen)));
    assert.equal(await card.locator('mark').count() > 0, true, 'differences are highlighted');
    // The status panel lists every member.
    const status = await page.locator('.status').innerText();
    for (const m of ['phone', 'laptop', 'tablet']) assert.match(status, new RegExp(m));
    const shot = s.path('review-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000);
    if (process.env.PIMHUB_UPDATE_SCREENSHOT === '1') {
      await page.screenshot({ path: join(ROOT, 'docs', 'review-page.png'), fullPage: false });
    }
  });

  test('a form posted from another site is refused and changes nothing', T, async () => {
    const before = read(onlyFile(s.path('a'), /UID:4b1e2c3d-0001/));
    // Another origin (another port): a page with a form aimed at the daemon.
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form method="post" action="${daemon.base}/review/resolve"><input name="entry" value="${conflict.id}"><input name="keep" value="${conflict.loser.connector}"><input name="token" value="forged"><button id="go">win a prize</button></form>`);
    });
    await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', () => ok()));
    try {
      // The same tab (this Chromium sometimes refuses to open more tabs through the DevTools pipe).
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const [resp] = await Promise.all([page.waitForResponse((r) => r.url().includes('/review/resolve')), page.click('#go')]);
      assert.equal(resp.status(), 403);
      assert.match(await resp.text(), /another site/);
    } finally {
      evil.close();
      evil.closeAllConnections();
    }
    assert.equal(s.run(['log', '--json'], ENV).json().entries.filter((e: { action: string }) => e.action === 'resolved').length, 0);
    assert.equal(read(onlyFile(s.path('a'), /UID:4b1e2c3d-0001/)), before);
  });

  test('keeping the other value is written to every member by the next sync, which the daemon runs by itself', T, async () => {
    await page.goto(`${daemon.base}/`);
    const from = daemon.records.length;
    await Promise.all([page.waitForURL(/resolved=\d+/), page.click(`#entry-${conflict.id} button.keep[data-keep="${conflict.loser.connector}"]`)]);
    assert.match(await page.locator('.notice').innerText(), new RegExp(`Entry #${conflict.id} changed`));
    const fnLine = `FN:${conflict.loser.value}`;
    for (const side of ['a', 'b']) {
      await eventually(() => (read(onlyFile(s.path(side), /UID:4b1e2c3d-0001/)).includes(fnLine) ? true : undefined), 10_000, `${fnLine} in ${side}`);
    }
    const synced = await daemon.waitFor((r) => r.msg === 'sync done', 5000, 'the sync after the resolve', from);
    assert.deepEqual(synced.reasons, ['resolve']);
    // Same effect as `pimhub resolve`: a `resolved` entry pointing at the conflict.
    const resolved = s.run(['log', '--json'], ENV).json().entries.find((e: { action: string }) => e.action === 'resolved');
    assert.equal(resolved.resolves, conflict.id);
    await page.reload();
    assert.match(await page.locator(`#entry-${conflict.id}`).innerText(), /decision changed later by #\d+/);
    assert.equal(await page.locator(`#entry-${conflict.id} button.keep[data-keep="${conflict.loser.connector}"]`).count(), 0);
  });

  test('contacts named like markup show as text and run nothing', T, async () => {
    writeFileSync(s.path('a', 'xss-1.vcf'), `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:xss-1\r\nFN:${XSS_SCRIPT}\r\nEND:VCARD\r\n`);
    writeFileSync(s.path('a', 'xss-2.vcf'), `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:xss-2\r\nFN:${XSS_IMG}\r\nEND:VCARD\r\n`);
    // `pimhub sync` may run while the daemon holds the same store (SPEC §6).
    const sync = s.run(['sync'], ENV);
    assert.equal(sync.code, 0, sync.stderr);
    await page.goto(`${daemon.base}/`);
    await page.getByText(XSS_SCRIPT, { exact: true }).first().waitFor();
    await page.getByText(XSS_IMG, { exact: true }).first().waitFor();
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img').count(), 0);
    // The search box echoes its text into the page too.
    await page.fill('input[name="q"]', XSS_IMG);
    await Promise.all([page.waitForURL(/q=/), page.click('form.filters button')]);
    assert.equal(await page.inputValue('input[name="q"]'), XSS_IMG);
    await page.getByText(XSS_IMG, { exact: true }).first().waitFor();
    assert.equal(await page.locator('img').count(), 0);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    const html = await (await fetch(`${daemon.base}/`, { headers: { authorization: `Basic ${Buffer.from(`alice:${ENV.PIMHUB_TEST_PW}`).toString('base64')}` } })).text();
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!html.includes(XSS_SCRIPT) && !html.includes('<img src=x'));
    assert.ok(existsSync(s.path('a', 'xss-1.vcf')) && readFileSync(s.path('b', onlyFile(s.path('b'), /UID:xss-1/).split('/').pop()!), 'utf8').includes('alert(1)'));
  });
});
