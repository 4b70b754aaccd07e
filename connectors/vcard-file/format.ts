import { cardTextByUid, encodeVCardLike } from '../../src/codecs/vcard/encode-like.js';
import { decodeVCards, encodeVCard, vcardEntries, VCARD_ANDROID_CAPABILITIES, VCARD_CAPABILITIES, type VCardVersion } from '../../src/codecs/vcard/index.js';
import type { ContactItem } from '../../src/model/item.js';
import type { FileCodec, SingleFileFormat } from '../shared/single-file-source.js';

/** The VERSION of the first card, read without parsing the file (it only picks the capabilities). */
export function firstCardVersion(bytes: Uint8Array | undefined): VCardVersion | undefined {
  if (!bytes) return undefined;
  const head = Buffer.from(bytes.subarray(0, 1 << 16)).toString('latin1');
  const begin = head.search(/^BEGIN:VCARD/im);
  if (begin < 0) return undefined;
  const m = /^VERSION:[ \t]*(2\.1|3\.0|4\.0)[ \t]*\r?$/im.exec(head.slice(begin));
  return m ? (m[1] as VCardVersion) : undefined;
}

/** A file Android wrote: it has X-ANDROID-CUSTOM rows, and gets them back in that form. */
export function isAndroidExport(bytes: Uint8Array | undefined): boolean {
  return bytes !== undefined && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('X-ANDROID-CUSTOM');
}

/**
 * One .vcf of many cards (Android and iPhone exports). Rewrites use the configured
 * version, else the first card's, else 3.0; cards that could not be read are appended
 * verbatim, so a rewrite loses none of them. Each card is written in its own form where it
 * did not change: its text in the file read is the template (src/codecs/vcard/encode-like.ts).
 */
export function vcardFileFormat(version: VCardVersion | undefined): SingleFileFormat<ContactItem> {
  const versionOf = (bytes: Uint8Array | undefined) => version ?? firstCardVersion(bytes) ?? '3.0';
  const codec = (bytes: Uint8Array | undefined): FileCodec<ContactItem> => {
    const v = versionOf(bytes);
    const android = isAndroidExport(bytes);
    // Each card's own text, only once the file is rewritten: a sync that only reads the
    // file would otherwise hold every card's text beside it.
    let own: ((uid: string) => string | undefined) | undefined;
    const ownText = (uid: string) => (own ??= bytes === undefined ? () => undefined : cardTextByUid(bytes))(uid);
    // An Android export is written in Android's own form (X-ANDROID-CUSTOM rows); other
    // files keep each card's own lines where the card did not change.
    const encodeEach = (i: ContactItem) => (android ? encodeVCard(i, v, { android }) : encodeVCardLike(i, v, i.uid ? ownText(i.uid) : undefined));
    return {
      encode: (items) => items.map(encodeEach).join(''),
      // A .vcf is its cards one after another: a rewrite is written card by card.
      encodeEach,
      appendRaw: (encoded, raws) => [encoded, ...raws].map(withFinalCrlf).join(''),
    };
  };
  return {
    kind: 'contacts',
    capabilities: (bytes) => (isAndroidExport(bytes) ? VCARD_ANDROID_CAPABILITIES : VCARD_CAPABILITIES)[versionOf(bytes)],
    decode: (bytes) => ({ ...(bytes === undefined ? { items: [], problems: [] } : decodeVCards(bytes)), ...codec(bytes) }),
    spans: (bytes) => ({
      file: codec(bytes),
      entries: vcardEntries(bytes),
      decodeSpan(start, end) {
        const r = decodeVCards(bytes.subarray(start, end));
        return r.items.length === 1 && r.problems.length === 0 ? r.items[0] : undefined;
      },
    }),
  };
}

function withFinalCrlf(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\r\n`;
}
