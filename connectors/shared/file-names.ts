import { sha1 } from './signatures.js';

/** vdirsyncer's safe characters for a UID used as a file name. */
const SAFE = /^[A-Za-z0-9_.@+-]+$/;
/** File names are limited to 255 bytes; leave room for the extension. */
const MAX_UID_NAME = 200;

/**
 * The file name of a new item, from its UID (vdirsyncer's rule): the UID itself when it
 * is made of safe characters, not too long and not hidden (a leading dot); else a hash
 * of it. Deterministic, so a create redone after a crash hits the same name and fails
 * instead of writing a duplicate.
 */
export function fileNameFor(uid: string, extension: string): string {
  const plain = SAFE.test(uid) && uid.length <= MAX_UID_NAME && !uid.startsWith('.');
  return `${plain ? uid : sha1(uid)}${extension}`;
}
