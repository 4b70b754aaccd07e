import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PimError } from '../../src/core/errors.js';
import { errnoOf, fsError } from './fs-errors.js';
import { killPoint } from '../../src/core/kill-point.js';
import { GroupCommit } from './group-commit.js';
import { inPool } from './pool.js';

/**
 * Atomic file writes: the data goes to a temporary file in the same folder (same file
 * system, so rename and link are atomic), is fsynced, then moved into place; the folder
 * is fsynced so the new name survives a crash. A reader sees the old or the new file,
 * never half of one. Temp names start with a dot and end in `.tmp`, so folder listings
 * ignore them (and vdirsyncer's own temp files).
 *
 * Durability per batch: the fsyncs are group commits. The temp files written while a
 * round of fsyncs runs are fsynced together in the next round (a few at a time from
 * libuv's pool), and likewise one folder fsync covers every name made before it started.
 * On ext4 the first fsync of a round commits the journal for all files written before
 * it, so the rest of the round is cheap; writing many files side by side (the vdir
 * source lets the engine run 64 at once) makes the rounds large. Each write still
 * returns only once its own data and name are durable, in that order, as with fsyncs
 * of its own: the crash guarantees are unchanged.
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
async function writeTemp(path: string, data: FileData, mode?: number): Promise<string> {
  const tmp = tempPathFor(path);
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(tmp, 'wx', 0o666);
    if (mode !== undefined) await fh.chmod(mode);
    await writeData(fh, data);
    await syncFile(dirname(path), fh);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw fsError(e, path, 'write');
  }
  await fh.close();
  return tmp;
}

/**
 * What a file is written from: its whole text or bytes, or its text piece by piece (a .vcf
 * card by card, src/connectors/shared/single-file-source.ts), which is never joined whole:
 * a rewrite of 100,000 cards held its 56 MB text, and its bytes, at once.
 */
export type FileData = string | Uint8Array | Iterable<string>;

/** Text given in pieces is written about this many characters at a time: few writes, little held. */
const PIECES_WRITTEN_AT_ONCE = 1 << 20;

async function writeData(fh: fs.FileHandle, data: FileData): Promise<void> {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    await fh.writeFile(data);
    return;
  }
  // writeFile on a handle writes at its position, so one call after another appends.
  let held: string[] = [];
  let size = 0;
  for (const piece of data) {
    held.push(piece);
    size += piece.length;
    if (size >= PIECES_WRITTEN_AT_ONCE) {
      await fh.writeFile(held.join(''));
      held = [];
      size = 0;
    }
  }
  if (held.length > 0) await fh.writeFile(held.join(''));
}

/** fsyncs run side by side within one round: enough to keep libuv's pool busy. */
const FSYNCS_AT_ONCE = 8;

/** Drops an idle folder's round, so a long-running daemon does not keep one per folder ever written. */
function forget<T>(rounds: Map<string, GroupCommit<T>>, dir: string, round: GroupCommit<T>): void {
  if (rounds.get(dir) === round) rounds.delete(dir);
}

/** Folders with a round of fsyncs running or waiting (for tests: idle folders are dropped). */
export function foldersSyncing(): number {
  return fileSyncs.size + folderSyncs.size;
}

/** Per folder: the round of file fsyncs (temp files) to join. */
const fileSyncs = new Map<string, GroupCommit<fs.FileHandle>>();

/** Makes a written file's data durable, in a round with the files written beside it. */
function syncFile(dir: string, fh: fs.FileHandle): Promise<void> {
  let g = fileSyncs.get(dir);
  if (!g) {
    const mine: GroupCommit<fs.FileHandle> = new GroupCommit(
      (handles) => inPool(handles, FSYNCS_AT_ONCE, (h) => h.sync().then(() => undefined, (e: unknown) => e)),
      () => forget(fileSyncs, dir, mine),
    );
    fileSyncs.set(dir, (g = mine));
  }
  return g.add(fh);
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

/** Per folder: the round of folder fsyncs to join. */
const folderSyncs = new Map<string, GroupCommit<void>>();

/**
 * Makes the names made in `dir` so far durable. A folder fsync covers every rename and
 * link made in the folder before it started, so the writes running side by side share one.
 */
function syncDir(dir: string): Promise<void> {
  let g = folderSyncs.get(dir);
  if (!g) {
    const mine: GroupCommit<void> = new GroupCommit(async (callers) => {
      await fsyncDir(dir);
      return callers.map(() => undefined);
    }, () => forget(folderSyncs, dir, mine));
    folderSyncs.set(dir, (g = mine));
  }
  return g.add();
}

/** Replaces (or creates) `path` atomically: temp file + rename. */
export async function writeFileAtomic(path: string, data: FileData): Promise<void> {
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
