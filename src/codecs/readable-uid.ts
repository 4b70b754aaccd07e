/**
 * The UID of a vCard or iCalendar entry that could not be parsed, when its UID line can
 * still be read (a card cut off after its UID, a VTODO missing its END). Knowing the UID
 * tells the engine which item the broken entry holds, so the item is neither changed nor
 * deleted because of it. Folded lines are unfolded first; `item1.UID` groups are allowed.
 */
export function readableUid(raw: string): string | undefined {
  const unfolded = raw.replace(/\r?\n[ \t]/g, '');
  const m = /^(?:[A-Za-z0-9-]+\.)?UID(?:;[^:\r\n]*)?:[ \t]*([^\r\n]*)$/im.exec(unfolded);
  const v = m?.[1]?.replace(/\r$/, '').trim();
  return v ? v.replace(/\\([,;:\\])/g, '$1') : undefined;
}

/** `{ uid }` for a broken entry's problem record, or nothing when no UID can be read. */
export function uidOfBroken(raw: string): { uid?: string } {
  const uid = readableUid(raw);
  return uid ? { uid } : {};
}
