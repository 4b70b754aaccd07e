/**
 * One card (the physical lines from BEGIN:VCARD to END:VCARD) → a ContactItem, or a
 * DecodeProblem naming every line that could not be read. A card with one bad line is
 * reported whole rather than decoded without that line: reading it short would look
 * like deleted fields to the sync engine.
 */
import type { ContactItem } from '../../model/item.js';
import type { Property } from '../../model/property.js';
import { messageOf } from '../../core/errors.js';
import { asUid, NO_UID } from '../../core/types.js';
import type { DecodeProblem } from '../types.js';
import { FALLBACK_CHARSET, bytesOf, decodeBytes, isValidUtf8 } from './bytes.js';
import { ContentLineError, logicalLines, parseContentLine } from './content-line.js';
import type { VCardVersion } from './design.js';
import { decodeProperty } from './decode-property.js';
import { readAndroidRows } from './android-custom.js';
import type { PhysicalLine } from '../content-line/unfold.js';
import { readAppleGroup } from './apple-group.js';

const VERSION_LINE = /^VERSION[ \t]*:[ \t]*(\S+)[ \t]*$/i;
const VERSIONS: Record<string, VCardVersion> = { '2.1': '2.1', '3.0': '3.0', '4.0': '4.0' };

export type CardResult = { ok: true; item: ContactItem } | { ok: false; problem: DecodeProblem };

/** The raw text of a chunk, for quarantine: UTF-8 when valid, else windows-1252. */
export function rawText(lines: PhysicalLine[]): string {
  const bytes = bytesOf(lines.map((l) => l.text).join('\r\n'));
  return decodeBytes(bytes, 'utf-8');
}

/** The VERSION of a card's inner lines: 3.0 when absent, undefined when unsupported. */
export function cardVersion(inner: PhysicalLine[]): { version?: VCardVersion; versionText?: string } {
  const versionText = inner.map((l) => VERSION_LINE.exec(l.text.trim())?.[1]).find((v) => v !== undefined);
  // A card without VERSION is read as 3.0 (bare 2.1 parameters and quoted-printable are
  // understood in every version anyway).
  return versionText === undefined ? { version: '3.0' } : { version: VERSIONS[versionText], versionText };
}

export function decodeCard(beginLine: number, lines: PhysicalLine[]): CardResult {
  const problem = (message: string): CardResult => ({
    ok: false,
    problem: { line: beginLine, message: `vCard at line ${beginLine}: ${message}`, raw: rawText(lines) },
  });
  const inner = lines.slice(1, -1);
  const { version, versionText } = cardVersion(inner);
  if (version === undefined) return problem(`unsupported VERSION ${JSON.stringify(versionText)} (expected 2.1, 3.0 or 4.0)`);
  // Checked on unfolded lines: a writer may fold in the middle of a UTF-8 sequence.
  const logical = logicalLines(inner, version === '2.1');
  const defaultCharset = isValidUtf8(bytesOf(logical.map((l) => l.text).join('\n'))) ? 'utf-8' : FALLBACK_CHARSET;

  let props: Property[] = [];
  const errors: string[] = [];
  for (const ll of logical) {
    try {
      const cl = parseContentLine(ll.text);
      if (cl.name === 'VERSION') continue;
      if (cl.name === 'BEGIN' || cl.name === 'END') throw new ContentLineError('nested vCard (2.1 AGENT) is not supported');
      props.push(decodeProperty(cl, { version, defaultCharset }));
    } catch (e) {
      const why = e instanceof ContentLineError ? e.message : `cannot parse value: ${messageOf(e)}`;
      errors.push(`line ${ll.line}: ${decodeBytes(bytesOf(why), defaultCharset)}`);
    }
  }
  if (errors.length > 0) return problem(errors.join('; '));
  props = readAppleGroup(readAndroidRows(props));
  const uidProp = props.find((p) => p.name === 'uid');
  const uid = uidProp && typeof uidProp.values[0] === 'string' ? asUid(uidProp.values[0]) : NO_UID;
  return { ok: true, item: { kind: 'contact', uid, card: { name: 'vcard', props, components: [] } } };
}
