import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp folder; fixtures are copied there, never changed in place. */
export async function tempDir(prefix = 'pimhub-conn-'): Promise<string> {
  return fs.mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

/** Copies `fixtures/<rel>` (a file or folder) into `dir`, returning the copy's path. */
export async function copyFixture(rel: string, dir: string, as?: string): Promise<string> {
  const dest = join(dir, as ?? rel.split('/').pop()!);
  await fs.cp(join('fixtures', rel), dest, { recursive: true });
  return dest;
}

/** Moves a file's mtime so a rewrite within the same clock tick still looks changed. */
export async function bumpMtime(path: string): Promise<void> {
  const later = new Date(Date.now() + 5000);
  await fs.utimes(path, later, later);
}

/** Runs `f` in a fresh temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await tempDir();
  try {
    return await f(dir);
  } finally {
    await removeDir(dir);
  }
}
