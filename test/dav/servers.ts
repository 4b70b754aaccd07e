import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * Real Radicale and Xandikos processes (Debian packages) on free loopback ports with
 * temporary storage, one per test file, stopped after (the whole process group). The
 * same tests run against both through a profile.
 */
export const INSTALL_HINT = 'apt-get install radicale xandikos';

export interface DavServer {
  profile: ServerProfile;
  /** The base URL a user would configure (discovery starts there). */
  url: string;
  username?: string;
  password?: string;
  /** Makes a new, empty address book or calendar at the path segment `name`, shown as `displayName` (default: `name`); returns its URL. */
  newCollection(kind: 'contacts' | 'calendar', name: string, displayName?: string): Promise<string>;
  /** The folder the server keeps its data in (a load test fills a big collection there directly). */
  dataDir: string;
  /** A raw request with the server's credentials (to change things behind pimhub's back). */
  request(method: string, url: string, body?: string, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export interface ServerProfile {
  name: 'radicale' | 'xandikos';
  binary: string;
  /** Whether discovery needs credentials (Radicale runs with an htpasswd file here). */
  auth: boolean;
  start(): Promise<DavServer>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function installed(binary: string): boolean {
  return existsSync(binary) || spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${log()}`);
    try {
      await fetch(url, { method: 'OPTIONS' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the server did not answer at ${url} within ${ms} ms: ${log()}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch { /* gone */ }
  }, 3000);
  await exited;
  clearTimeout(timer);
}

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const mkcolBody = (name: string) => `<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>${name}</D:displayname></D:prop></D:set></D:mkcol>`;
const mkcalBody = (name: string) => `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/><C:comp name="VJOURNAL"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;

async function launch(profile: ServerProfile, args: (dir: string, port: number) => string[], homes: (base: string) => Record<'contacts' | 'calendar', string>, creds?: { username: string; password: string }): Promise<DavServer> {
  const dir = mkdtempSync(join(tmpdir(), `pimhub-${profile.name}-`));
  const port = await freePort();
  const child = spawn(profile.binary, args(dir, port), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilUp(url, child, () => stderr);
  } catch (e) {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const auth: Record<string, string> = creds ? { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` } : {};
  const request = (method: string, u: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(u, { method, body, headers: { ...auth, ...headers } });
  return {
    profile,
    url,
    dataDir: dir,
    ...creds,
    request,
    async newCollection(kind, name, displayName = name) {
      const u = `${homes(url)[kind]}${encodeURIComponent(name)}/`;
      const r = kind === 'contacts' ? await request('MKCOL', u, mkcolBody(displayName), XML) : await request('MKCALENDAR', u, mkcalBody(displayName), XML);
      await r.arrayBuffer();
      if (r.status !== 201) throw new Error(`${kind} collection ${u}: ${r.status}`);
      return u;
    },
    async stop() {
      await stopGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const radicale: ServerProfile = {
  name: 'radicale',
  binary: '/usr/bin/radicale',
  auth: true,
  start() {
    const creds = { username: 'alice', password: 'radicale-test-password' };
    return launch(this, (dir, port) => {
      writeFileSync(join(dir, 'htpasswd'), `${creds.username}:${creds.password}\n`);
      return ['--config', '', '--storage-filesystem-folder', join(dir, 'collections'), '--server-hosts', `127.0.0.1:${port}`,
        '--auth-type', 'htpasswd', '--auth-htpasswd-filename', join(dir, 'htpasswd'), '--auth-htpasswd-encryption', 'plain',
        '--auth-delay', '0', '--logging-level', 'warning'];
    }, (base) => ({ contacts: `${base}${creds.username}/`, calendar: `${base}${creds.username}/` }), creds);
  },
};

export const xandikos: ServerProfile = {
  name: 'xandikos',
  binary: '/usr/bin/xandikos',
  auth: false,
  start() {
    return launch(this, (dir, port) => ['--defaults', '-d', dir, '-l', '127.0.0.1', '-p', String(port), '--route-prefix', '/'],
      (base) => ({ contacts: `${base}user/contacts/`, calendar: `${base}user/calendars/` }));
  },
};

export const PROFILES: ServerProfile[] = [radicale, xandikos];

/** What to do about a profile here: run it, skip it with the hint, or fail (CI=true, not installed). */
export function availability(profile: Pick<ServerProfile, 'binary'>, env: NodeJS.ProcessEnv = process.env): 'run' | 'skip' | 'fail' {
  if (installed(profile.binary)) return 'run';
  return env.CI === 'true' ? 'fail' : 'skip';
}

/**
 * Runs `body` for each server profile that is installed. A missing server is a skipped
 * test with the install hint; under CI=true it is a failure (shared/SPEC.md §1).
 */
export function forEachServer(body: (profile: ServerProfile) => void): void {
  for (const p of PROFILES) {
    switch (availability(p)) {
      case 'run':
        body(p);
        break;
      case 'fail':
        test(`${p.name} is installed`, () => {
          throw new Error(`${p.binary} is missing; under CI=true a DAV server test may not be skipped: ${INSTALL_HINT}`);
        });
        break;
      case 'skip':
        test(`${p.name} tests`, { skip: `${p.binary} is missing: ${INSTALL_HINT}` }, () => {});
        break;
    }
  }
}
