// B4's floor: vdirsyncer's first download of N contacts from a server that costs nothing.
// A recording proxy stands in front of `pimhub serve`: the first download goes through it
// (and is itself a B4 run: vdirsyncer's wall and CPU, pimhub serve's CPU from /proc), then
// the proxy answers the same requests from memory and vdirsyncer downloads again, --runs
// times. What is left is vdirsyncer's own work: its CPU and its disk waits (it fsyncs every
// file). Build first (`npm run build`); vdirsyncer from Debian.
// Usage: node scripts/b4-floor.mjs [--size 10000] [--runs 2]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt);
const size = opt('size', 10000);
const runs = opt('runs', 2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { contacts } = await import(join(root, 'dist/bench/generate.js'));
const PASSWORD = 'bench-serve-password';
// vdirsyncer sends a multiget's hrefs in set order: a fixed hash seed makes both passes send the same body.
const env = { ...process.env, PIMHUB_BENCH_SERVE_PASSWORD: PASSWORD, PYTHONHASHSEED: '0' };
const work = mkdtempSync(join(tmpdir(), 'pimhub-b4-floor-'));

/** /proc/PID/stat: utime + stime (fields 14, 15) in clock ticks of 1/100 s. */
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

function run(command, cwd) {
  return new Promise((ok, fail) => {
    const p = spawn('/usr/bin/time', ['-v', 'sh', '-c', command], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const t0 = process.hrtime.bigint();
    p.once('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return fail(new Error(`${command} failed (${code}):\n${err.slice(-2000)}`));
      const num = (re) => Number(re.exec(err)?.[1] ?? NaN);
      ok({ wall, cpu: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/) });
    });
  });
}

/** Forwards to `target` and keeps each answer by method, path, Depth and body; `replay` then answers from memory. */
function recordingProxy(target) {
  const kept = new Map();
  const state = { replay: false, misses: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const key = createHash('sha1').update(`${req.method} ${req.url} ${req.headers.depth ?? ''}\n`).update(body).digest('hex');
    if (state.replay) {
      const hit = kept.get(key);
      if (!hit) {
        state.misses += 1;
        res.writeHead(500).end('not recorded');
        return;
      }
      res.writeHead(hit.status, hit.headers).end(hit.body);
      return;
    }
    const up = http.request(new URL(req.url, target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, async (answer) => {
      const out = [];
      for await (const c of answer) out.push(c);
      const b = Buffer.concat(out);
      const headers = { ...answer.headers, 'content-length': String(b.length) };
      for (const h of ['transfer-encoding', 'connection', 'keep-alive']) delete headers[h];
      kept.set(key, { status: answer.statusCode, headers, body: b });
      res.writeHead(answer.statusCode, headers).end(b);
    });
    up.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, state, url: `http://127.0.0.1:${server.address().port}/` })));
}

function vdirsyncer(dir, url) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'vdir'), { recursive: true });
  writeFileSync(join(dir, 'config'), [
    '[general]', `status_path = "${dir}/status/"`, '',
    '[pair contacts]', 'a = "remote"', 'b = "local"', 'collections = ["from a"]', 'conflict_resolution = "a wins"', '',
    '[storage remote]', 'type = "carddav"', `url = "${url}"`, 'username = "alice"', `password = "${PASSWORD}"`, '',
    '[storage local]', 'type = "filesystem"', `path = "${dir}/vdir/"`, 'fileext = ".vcf"', '',
  ].join('\n'));
  return run('yes | vdirsyncer -c config discover > /dev/null && vdirsyncer -c config sync', dir);
}

const fmt = (x) => x.toFixed(2);
let serve;
try {
  const pdir = join(work, 'pimhub');
  mkdirSync(pdir);
  writeFileSync(join(pdir, 'all.vcf'), contacts(size).map((c) => c.text).join(''));
  writeFileSync(join(pdir, 'pimhub.yaml'), ['store: sqlite:./pimhub.db', 'server:', '  listen: 127.0.0.1:0', '  users:', '    alice: { passwordEnv: PIMHUB_BENCH_SERVE_PASSWORD }',
    'connectors:', '  file: { type: vcard-file, path: ./all.vcf }', 'collections:', '  contacts: { kind: contacts, members: [file], owner: alice }', ''].join('\n'));
  const pimhub = join(root, 'bin', 'pimhub');
  if (spawnSync(process.execPath, [pimhub, '-c', 'pimhub.yaml', 'sync'], { cwd: pdir, env, stdio: 'inherit' }).status !== 0) throw new Error('pimhub sync failed');
  serve = spawn(process.execPath, [pimhub, '-c', 'pimhub.yaml', 'serve'], { cwd: pdir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((ok) => {
    let out = '';
    serve.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (https?:\/\/[^\s]+?)\/?\s/.exec(out);
      if (m) ok(m[1]);
    });
  });
  const proxy = await recordingProxy(`${base}/`);
  const c0 = cpuOf(serve.pid);
  const load0 = loadavg()[0];
  const first = await vdirsyncer(join(work, 'through-pimhub'), proxy.url);
  console.log(`through pimhub serve: ${fmt(first.wall)} s wall, vdirsyncer CPU ${fmt(first.cpu)} s, pimhub serve CPU ${fmt(cpuOf(serve.pid) - c0)} s (load ${fmt(load0)})`);
  proxy.state.replay = true;
  for (let i = 0; i < runs; i += 1) {
    const load = loadavg()[0];
    const r = await vdirsyncer(join(work, `replay-${i}`), proxy.url);
    console.log(`from memory:          ${fmt(r.wall)} s wall, vdirsyncer CPU ${fmt(r.cpu)} s (load ${fmt(load)})${proxy.state.misses ? `, ${proxy.state.misses} requests not recorded` : ''}`);
  }
  proxy.server.closeAllConnections();
  proxy.server.close();
} finally {
  if (serve && serve.exitCode === null && serve.signalCode === null) {
    const gone = new Promise((ok) => serve.once('exit', ok));
    serve.kill('SIGTERM');
    await gone;
  }
  rmSync(work, { recursive: true, force: true });
}
// Kept-alive sockets of the proxy's upstream agent would hold the event loop open.
process.exit(0);
