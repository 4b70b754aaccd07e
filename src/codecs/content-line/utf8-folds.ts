/**
 * Joins line folds that split a UTF-8 sequence. RFC 5545 §3.1 and RFC 6350 §3.2 fold at
 * octets, and some writers fold in the middle of a multi-byte character; readers must
 * unfold before decoding. Only those folds are removed here, so line numbers elsewhere
 * stay as they are.
 */
export function joinSplitUtf8Folds(bytes: Uint8Array): Uint8Array {
  let out: number[] | undefined;
  let from = 0;
  for (let j = 0; j < bytes.length; j++) {
    const nl = bytes[j] === 0x0d && bytes[j + 1] === 0x0a ? 2 : bytes[j] === 0x0a ? 1 : 0;
    if (nl === 0) continue;
    const ws = bytes[j + nl];
    if ((ws !== 0x20 && ws !== 0x09) || !endsInsideSequence(bytes, j)) continue;
    out ??= [];
    for (let k = from; k < j; k++) out.push(bytes[k]!);
    from = j + nl + 1;
    j = from - 1;
  }
  if (!out) return bytes;
  for (let k = from; k < bytes.length; k++) out.push(bytes[k]!);
  return Uint8Array.from(out);
}

/** Whether the bytes before `end` stop in the middle of a UTF-8 sequence. */
function endsInsideSequence(bytes: Uint8Array, end: number): boolean {
  let cont = 0;
  let k = end - 1;
  while (k >= 0 && cont < 3 && (bytes[k]! & 0xc0) === 0x80) {
    cont++;
    k--;
  }
  if (k < 0) return false;
  const lead = bytes[k]!;
  const need = lead >= 0xf0 && lead <= 0xf7 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return need > cont;
}
