/**
 * JSON text per object for one commit: a first sync writes an item's version as its data,
 * its history entry and the base of the link of the member it came from, most often the
 * very same object (the link then names the version: sqlite/link-base.ts, mongodb/link-base.ts).
 */
export function jsonOnce(): (value: object) => string {
  const texts = new WeakMap<object, string>();
  return (value) => {
    let t = texts.get(value);
    if (t === undefined) texts.set(value, (t = JSON.stringify(value)));
    return t;
  };
}
