#!/usr/bin/env node
// A reusable Radicale with N bench contacts, so a profile of `pimhub sync` against 10,000
// cards does not pay Radicale's ~100 s seeding per try (docs/performance.md, "Speed round 4").
//
//   node scripts/dav-10k.mjs seed [--size 10000]   seed once; keeps a copy of the storage
//   node scripts/dav-10k.mjs up [--warm]           restore the seeded storage, start Radicale
//   node scripts/dav-10k.mjs save-warm             keep the live storage (after a first sync: it
//                                                  holds Radicale's sync history) for `up --warm`
//   node scripts/dav-10k.mjs fresh                 empty pimhub's store and vdir (a first sync next)
//   node scripts/dav-10k.mjs down                  stop Radicale (the pid this script started)
//
// Needs a build (`npx tsc -p tsconfig.json`: dist/bench/generate.js). Everything lives under
// $PIMHUB_DAV10K_DIR (default /tmp/pimhub-dav10k): seed/ (pristine storage), server/ (the
// live one), pimhub/ (pimhub.yaml, the store, vdir/). After `up`, from pimhub/:
//   PIMHUB_BENCH_PASSWORD=radicale-test-password node ../../path/to/dist/src/cli/main.js -c pimhub.yaml sync
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const base = process.env.PIMHUB_DAV10K_DIR ?? '/tmp/pimhub-dav10k';
const PORT = Number(process.env.PIMHUB_DAV10K_PORT ?? 5239);
const USER = 'alice';
const PASSWORD = 'radicale-test-password';
const url = `http://127.0.0.1:${PORT}/`;
const bookUrl = `${url}${USER}/book/`;
const auth = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
const pidFile = join(base, 'radicale.pid');

function startRadicale(storage) {
  writeFileSync(join(base, 'htpasswd'), `${USER}:${PASSWORD}\n`);
  const child = spawn('/usr/bin/radicale', ['--config', '', '--storage-filesystem-folder', storage, '--server-hosts', `127.0.0.1:${PORT}`,
    '--auth-type', 'htpasswd', '--auth-htpasswd-filename', join(base, 'htpasswd'), '--auth-htpasswd-encryption', 'plain',
    '--auth-delay', '0', '--logging-level', 'warning'], { detached: true, stdio: 'ignore' });
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  return child.pid;
}

async function waitUp() {
  for (let i = 0; i < 200; i += 1) {
    try {
      await fetch(url, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Radicale did not answer at ${url}; is port ${PORT} taken? (set PIMHUB_DAV10K_PORT)`);
}

function stopRadicale() {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch { /* already gone */ }
  rmSync(pidFile, { force: true });
}

function writePimhubConfig() {
  const ph = join(base, 'pimhub');
  mkdirSync(ph, { recursive: true });
  writeFileSync(join(ph, 'pimhub.yaml'), [
    'store: sqlite:./pimhub.db',
    'connectors:',
    `  cloud: { type: carddav, url: "${url}", username: ${USER}, passwordEnv: PIMHUB_BENCH_PASSWORD }`,
    '  local: { type: vdir, path: ./vdir }',
    'collections:',
    '  contacts: { kind: contacts, members: [cloud/book, local] }',
    '',
  ].join('\n'));
  return ph;
}

function fresh() {
  const ph = writePimhubConfig();
  for (const f of ['pimhub.db', 'pimhub.db-wal', 'pimhub.db-shm']) rmSync(join(ph, f), { force: true });
  rmSync(join(ph, 'vdir'), { recursive: true, force: true });
  mkdirSync(join(ph, 'vdir'));
}

const cmd = process.argv[2];
const sizeArg = process.argv.indexOf('--size');
const size = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : 10_000;
mkdirSync(base, { recursive: true });

if (cmd === 'seed') {
  const { contacts } = await import(join(root, 'dist/bench/generate.js'));
  stopRadicale();
  rmSync(join(base, 'server'), { recursive: true, force: true });
  startRadicale(join(base, 'server'));
  await waitUp();
  const t0 = Date.now();
  const body = contacts(size).map((c) => c.text).join('');
  const put = await fetch(bookUrl, { method: 'PUT', body, headers: { ...auth, 'Content-Type': 'text/vcard; charset=utf-8' } });
  await put.arrayBuffer();
  stopRadicale();
  if (put.status >= 300) throw new Error(`PUT of ${size} cards to ${bookUrl}: ${put.status}`);
  await new Promise((r) => setTimeout(r, 500));
  rmSync(join(base, 'seed'), { recursive: true, force: true });
  cpSync(join(base, 'server'), join(base, 'seed'), { recursive: true });
  writeFileSync(join(base, 'size'), String(size));
  console.log(`seeded ${size} contacts in ${((Date.now() - t0) / 1000).toFixed(1)} s; pristine copy in ${join(base, 'seed')}`);
} else if (cmd === 'save-warm') {
  // Radicale writes a history file per card on the first sync-collection of a collection
  // (10,000 fsyncs: 23–75 s here): a copy taken after it lets a try time pimhub's own part.
  rmSync(join(base, 'seed-warm'), { recursive: true, force: true });
  cpSync(join(base, 'server'), join(base, 'seed-warm'), { recursive: true });
  console.log(`kept ${join(base, 'server')} as ${join(base, 'seed-warm')} for \`up --warm\``);
} else if (cmd === 'up') {
  const from = join(base, process.argv.includes('--warm') ? 'seed-warm' : 'seed');
  if (!existsSync(from)) throw new Error(`no storage in ${from}: run \`node scripts/dav-10k.mjs seed\` (and for --warm, a first sync then \`save-warm\`) first`);
  stopRadicale();
  rmSync(join(base, 'server'), { recursive: true, force: true });
  cpSync(from, join(base, 'server'), { recursive: true });
  const pid = startRadicale(join(base, 'server'));
  await waitUp();
  writePimhubConfig();
  console.log(`Radicale (pid ${pid}) at ${url} with ${readFileSync(join(base, 'size'), 'utf8')} contacts in ${bookUrl}; password in PIMHUB_BENCH_PASSWORD=${PASSWORD}; pimhub config in ${join(base, 'pimhub')}`);
} else if (cmd === 'fresh') {
  fresh();
  console.log(`empty store and vdir in ${join(base, 'pimhub')}`);
} else if (cmd === 'down') {
  stopRadicale();
} else {
  console.error('usage: node scripts/dav-10k.mjs seed [--size N] | up | fresh | down');
  process.exit(2);
}
