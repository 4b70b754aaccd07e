import { promises as fs } from 'node:fs';
import { errnoOf, fsError } from './fs-errors.js';
import { fileSignature } from './signatures.js';

/** A file's bytes as read once, with the signature they were read under. */
export interface FileSnapshot {
  /** undefined: the file does not exist. */
  bytes: Uint8Array | undefined;
  /** `mtimeNs:size:sha256`, or `absent`. */
  signature: string;
}

/** Reads a whole file through one handle, so the stat and the bytes belong together. */
export async function readSnapshot(path: string): Promise<FileSnapshot> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return { bytes: undefined, signature: 'absent' };
    throw fsError(e, path, 'open');
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) throw new Error('not a regular file');
    const bytes = new Uint8Array(await fh.readFile());
    return { bytes, signature: fileSignature(st, bytes) };
  } catch (e) {
    throw fsError(e, path, 'read');
  } finally {
    await fh.close().catch(() => undefined);
  }
}
