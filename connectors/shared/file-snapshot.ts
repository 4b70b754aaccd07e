import { promises as fs, type BigIntStats } from 'node:fs';
import { errnoOf, fsError } from './fs-errors.js';
import { createHash } from 'node:crypto';
import { fileSignature, signatureOf } from './signatures.js';

/** A file's bytes as read once, with the signature they were read under. */
export interface FileSnapshot {
  /** undefined: the file does not exist. */
  bytes: Uint8Array | undefined;
  /** `mtimeNs:size:sha256`, or `absent`. */
  signature: string;
  /** The file's mtime, ISO (when it exists): when its owner last changed it. */
  modified?: string;
}

/**
 * Reads a whole file through one handle, so the stat belongs to the bytes read (no
 * change can slip in between); undefined when the file does not exist.
 */
export async function readWithStat(path: string): Promise<{ bytes: Uint8Array; stat: BigIntStats } | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw fsError(e, path, 'open');
  }
  try {
    const stat = await fh.stat({ bigint: true });
    if (!stat.isFile()) throw new Error('not a regular file');
    // A view of the Buffer read, not a copy: a copy held a 56 MB .vcf twice until collected.
    const buf = await fh.readFile();
    return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), stat };
  } catch (e) {
    throw fsError(e, path, 'read');
  } finally {
    await fh.close().catch(() => undefined);
  }
}

export async function readSnapshot(path: string): Promise<FileSnapshot> {
  const r = await readWithStat(path);
  return r
    ? { bytes: r.bytes, signature: fileSignature(r.stat, r.bytes), modified: mtimeIso(r.stat) }
    : { bytes: undefined, signature: 'absent' };
}

/**
 * The signature `readSnapshot` would give, read through a 1 MB buffer: checking that a
 * large file is unchanged before rewriting it must not hold a second copy of it.
 */
export async function currentSignature(path: string): Promise<string> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return 'absent';
    throw fsError(e, path, 'open');
  }
  try {
    const stat = await fh.stat({ bigint: true });
    if (!stat.isFile()) throw new Error('not a regular file');
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = (await fh.read(buf, 0, buf.length, null)).bytesRead; n > 0; n = (await fh.read(buf, 0, buf.length, null)).bytesRead) {
      hash.update(buf.subarray(0, n));
    }
    return signatureOf(stat, hash.digest('hex'));
  } catch (e) {
    throw fsError(e, path, 'read');
  } finally {
    await fh.close().catch(() => undefined);
  }
}

export function mtimeIso(st: BigIntStats): string {
  return new Date(Number(st.mtimeMs)).toISOString();
}
