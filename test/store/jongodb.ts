import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { MongoClient } from 'mongodb';

/**
 * A real MongoDB-wire server for tests: jongodb (npm @jongodb/memory-server-bin-linux-x64-gnu,
 * an optional dependency), started as a single-node replica set on a free loopback port,
 * one per test file, killed after. `PIMHUB_TEST_MONGODB_URI` (a real replica set) is used
 * as well when set. Every test gets a fresh database name.
 */
export const JONGODB_HINT = 'npm install (it installs the optional dependency @jongodb/memory-server-bin-linux-x64-gnu; Linux x64 with glibc only)';

export function jongodbBinary(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
    const bin = join(dirname(pkg), 'bin', 'jongodb');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

export interface MongoTarget {
  /** `jongodb` or `PIMHUB_TEST_MONGODB_URI`. */
  name: string;
  /** A URL on a database no test used before. */
  freshUrl(): Promise<string>;
}

/** `url` with its path (the database) replaced by `db`. */
export function withDatabase(url: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/i.exec(url);
  if (!m) throw new Error('not a mongodb:// URL');
  return `${m[1]}/${db}${m[3] ?? ''}`;
}

interface Running {
  uri: string;
  child: ChildProcess;
}

/** Starts jongodb (a single-node replica set, or a standalone server) and waits for the `JONGODB_URI=` line it prints. */
export async function startJongodb(binary: string, replicaSet = true): Promise<Running> {
  const args = ['--host=127.0.0.1', '--port=0'];
  if (replicaSet) args.push('--topology-profile=singleNodeReplicaSet', '--replica-set-name=rs0');
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let out = '';
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jongodb printed no JONGODB_URI line within 20 s: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /JONGODB_URI=(\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`jongodb exited (${code}): ${out}`)); });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { uri, child };
}

export async function stopJongodb(r: Running): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  const exited = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGKILL');
  await exited;
}

/**
 * The MongoDB servers this test file runs against, started lazily and stopped after the file:
 * jongodb when installed, and `PIMHUB_TEST_MONGODB_URI` when set. Without jongodb the file
 * registers a skipped test with the install hint, or (CI=true) a failing one.
 */
export function mongoTargets(env: NodeJS.ProcessEnv = process.env): MongoTarget[] {
  const targets: MongoTarget[] = [];
  const binary = jongodbBinary();
  if (binary) {
    let running: Promise<Running> | undefined;
    after(async () => { if (running) await stopJongodb(await running); });
    targets.push({
      name: 'jongodb',
      async freshUrl() {
        running ??= startJongodb(binary);
        return withDatabase((await running).uri, `pimhub_test_${randomUUID().slice(0, 8)}`);
      },
    });
  } else if (env.CI === 'true') {
    test('MongoDB tests', () => { throw new Error(`jongodb is missing; under CI=true the MongoDB tests may not be skipped: ${JONGODB_HINT}`); });
  } else {
    test('MongoDB tests on jongodb', { skip: `jongodb is missing: ${JONGODB_HINT}` }, () => {});
  }
  const real = env.PIMHUB_TEST_MONGODB_URI;
  if (real) {
    targets.push({ name: 'PIMHUB_TEST_MONGODB_URI', freshUrl: async () => withDatabase(real, `pimhub_test_${randomUUID().slice(0, 8)}`) });
  }
  return targets;
}

/** Empties a test database (jongodb has no dropDatabase; deleteMany works on both). */
export async function emptyDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    const db = client.db();
    const { C } = await import('../../src/store/mongodb/schema.js');
    for (const name of Object.values(C)) await db.collection(name).deleteMany({});
  } finally {
    await client.close();
  }
}
