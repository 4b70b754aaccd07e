/**
 * The text on its own. V8 keeps a slice of 13 or more characters as a view into the text it
 * was cut from, so a short value kept for a whole run (an href, an etag, a UID) can keep a
 * whole card's text or a whole server response alive: a first sync of 10,000 cards from
 * Radicale kept all 100 multiget answers (19.5 MB) through the etags of its link heads.
 * Slicing a fresh concatenation flattens it first: the slice then views a copy the size of
 * the value.
 */
export function ownString<S extends string>(s: S): S {
  return (s.length < 13 ? s : ` ${s}`.slice(1)) as S;
}
