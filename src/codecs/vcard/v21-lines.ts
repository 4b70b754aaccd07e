/**
 * vCard 2.1's own ways of continuing a line, on top of folding: a quoted-printable value
 * ending in `=` continues verbatim on the next line (RFC 2045 soft break), and a base64
 * value continues over the following lines of base64 characters up to a blank line.
 */
import type { ContinuationRules } from '../content-line/unfold.js';

const QP_HEAD = /;(?:ENCODING[ \t]*=[ \t]*)?QUOTED-PRINTABLE(?=[;:]|$)/i;
const B64_HEAD = /;(?:ENCODING[ \t]*=[ \t]*)?(?:BASE64|B)(?=[;:]|$)/i;
const B64_LINE = /^[A-Za-z0-9+/=]+$/;

/** Soft breaks count in every version (phones write them into 3.0 too); base64 blocks only in 2.1. */
export function vcardContinuations(is21: boolean): ContinuationRules {
  return {
    beforeFolding: (line, next) => {
      const head = line.head;
      // A soft break only counts once the value has started (after the name's ':').
      if (head === undefined || !QP_HEAD.test(head) || !line.endsWith('=') || line.length <= head.length + 1) return undefined;
      line.dropLastChar();
      return next;
    },
    afterFolding: is21
      ? (line, next) => {
        const head = line.head;
        return head !== undefined && B64_HEAD.test(head) && B64_LINE.test(next.trim()) ? next.trim() : undefined;
      }
      : undefined,
  };
}
