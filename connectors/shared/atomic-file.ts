import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PimError } from '../../src/core/errors.js';
import { errnoOf, fsError } from './fs-errors.js';
import { killPoint } from '../../src/core/kill-point.js';

/**
 * Atomic file writes: the data goes to a temporary file in the same folder (same file
 * system, so rename and link are atomic), is fsynced, then moved into place; the folder
 * is fsynced (one fsync shared by the writes running side by side) so the new name
 * survives a crash. A reader sees the old or the new file,
 * never half of one. Temp names start with a dot and end in `.tmp`, so folder listings
 * ignore them (and vdirsyncer's own temp files).
 */

/** Temp files this module writes: `.<name>.<12 hex>.tmp`. */
const OWN_TEMP = /^\..+\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes temp files of ours older than `maxAgeMs` from a folder: what a write killed
 * half-way (SIGKILL, power loss) leaves behind. Younger ones may belong to a running write.
 */
export async function removeStaleTemps(dir: string, names: readonly string[], maxAgeMs = 10 * 60 * 1000): Promise<void> {
  const now = Date.now();
  for (const name of names) {
    if (!OWN_TEMP.test(name)) continue;
    const p = join(dir, name);
    const st = await fs.stat(p).catch(() => undefined);
    if (st && now - st.mtimeMs > maxAgeMs) await fs.unlink(p).catch(() => undefined);
  }
}

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.tmp') || name.endsWith('~');
}

/**
 * The temp file gets the permission bits the result must have (SPEC §4): those of the file it
 * replaces, else 0666 less the umask, as any new file. A rewrite never narrows or widens access.
 */
async function writeTemp(path: string, data: string | Uint8Array, mode?: number): Promise<string> {
  const tmp = tempPathFor(path);
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(tmp, 'wx', 0o666);
    if (mode !== undefined) await fh.chmod(mode);
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw fsError(e, path, 'write');
  }
  await fh.close();
  return tmp;
}

/** fsync of a folder, so a rename or link in it is durable. Not supported everywhere: best effort. */
async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms and file systems refuse fsync on folders; the rename is atomic anyway.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Per folder: the fsync running now, and the one that waits for it to end. */
interface FolderSync {
  running?: Promise<void>;
  next?: Promise<void>;
}
const folderSyncs = new Map<string, FolderSync>();

/**
 * Makes the names written in `dir` so far durable (group commit). A folder fsync covers
 * every rename and link made in the folder before it started, so the writes running side
 * by side (the engine overlaps them) share one: a caller arriving while one runs waits for
 * the next, which starts when that one ends and covers all who arrived meanwhile. Each
 * caller still returns only once its own name is durable, as with one fsync per write.
 */
function syncDir(dir: string): Promise<void> {
  let s = folderSyncs.get(dir);
  if (!s) folderSyncs.set(dir, (s = {}));
  const state = s;
  const start = (): Promise<void> =>
    fsyncDir(dir).finally(() => {
      if (state.next) return;
      state.running = undefined;
      folderSyncs.delete(dir);
    });
  if (!state.running) return (state.running = start());
  return (state.next ??= state.running.then(() => {
    state.next = undefined;
    return (state.running = start());
  }));
}

/** Replaces (or creates) `path` atomically: temp file + rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const existing = await fs.stat(path).catch(() => undefined);
  const tmp = await writeTemp(path, data, existing ? existing.mode & 0o7777 : undefined);
  killPoint('file.temp-written');
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw fsError(e, path, 'replace');
  }
  killPoint('file.renamed');
  await syncDir(dirname(path));
}

/**
 * Creates `path` only if it does not exist, atomically: temp file + `link` (which fails
 * with EEXIST instead of replacing) + unlink of the temp. An existing file is a
 * precondition failure (the If-None-Match: * of files).
 */
export async function createFileExclusive(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemp(path, data);
  killPoint('file.create-temp-written');
  try {
    await fs.link(tmp, path);
    killPoint('file.create-linked');
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') {
      throw new PimError('precondition-failed', `${path} exists already`, { where: path, cause: e });
    }
    throw fsError(e, path, 'create');
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
  await syncDir(dirname(path));
}
