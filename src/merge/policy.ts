import { assertNever } from '../core/errors.js';
import type { FieldSource } from '../core/store.js';

/** config `conflict`: newest | store | prefer:<connector>[,<connector>...] */
export type ConflictPolicy =
  | { kind: 'newest' }
  | { kind: 'store' }
  | { kind: 'prefer'; order: string[] };

export function parsePolicy(text: string): ConflictPolicy | undefined {
  if (text === 'newest') return { kind: 'newest' };
  if (text === 'store') return { kind: 'store' };
  const m = /^prefer:(.+)$/.exec(text);
  if (m) {
    const order = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
    if (order.length > 0) return { kind: 'prefer', order };
  }
  return undefined;
}

/** Which side wins a conflict. Ties keep the store's value: no churn without a reason. */
export function chooseSide(policy: ConflictPolicy, current: FieldSource, incoming: FieldSource): 'current' | 'incoming' {
  switch (policy.kind) {
    case 'store':
      return 'current';
    case 'newest':
      return Date.parse(incoming.time) > Date.parse(current.time) ? 'incoming' : 'current';
    case 'prefer': {
      const rank = (c: string) => {
        const i = policy.order.findIndex((o) => c === o || c.startsWith(`${o}/`));
        return i === -1 ? Number.POSITIVE_INFINITY : i;
      };
      const a = rank(current.connector);
      const b = rank(incoming.connector);
      if (a === b) return chooseSide({ kind: 'newest' }, current, incoming);
      return b < a ? 'incoming' : 'current';
    }
    default:
      return assertNever(policy, 'conflict policy');
  }
}
