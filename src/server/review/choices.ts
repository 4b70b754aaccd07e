import type { FieldDecision, LogEntry } from '../../core/store.js';

/**
 * The "keep this value" buttons of a log entry: the `--keep` arguments `pimhub resolve`
 * would accept for it (src/sync/resolve.ts). A member's name when every changed field has
 * a value from that member (the usual case), else a value index valid for every field.
 */
export interface KeepChoice {
  /** The `--keep` argument. */
  keep: string;
  /** What the button says. */
  label: string;
  /** Every field already has this value: no button needed. */
  current: boolean;
}

/** The fields `resolveEntry` changes: for a conflict or a merge of duplicates only the conflicting ones. */
export function resolvableFields(e: LogEntry): NonNullable<LogEntry['fields']> {
  return (e.fields ?? []).filter((f) => f.conflict || (e.action !== 'conflict' && e.action !== 'duplicates-merged'));
}

/** The choice in force for a field: the latest resolution's if the decision was changed since. */
export function chosenIndexOf(f: FieldDecision, resolution: LogEntry | undefined): number {
  return resolution?.fields?.find((r) => r.field === f.field)?.chosenIndex ?? f.chosenIndex;
}

export function keepChoices(e: LogEntry, resolution?: LogEntry): KeepChoice[] {
  const fields = resolvableFields(e);
  if (!e.itemId || fields.length === 0 || fields.every((f) => f.values.length < 2)) return [];
  const connectors = [...new Set(fields.flatMap((f) => f.values.map((v) => v.connector)))];
  const byConnector = connectors.filter((c) => fields.every((f) => f.values.some((v) => v.connector === c)));
  if (byConnector.length >= 2) {
    return byConnector.map((c) => ({
      keep: c,
      label: c,
      current: fields.every((f) => f.values[chosenIndexOf(f, resolution)]?.connector === c),
    }));
  }
  const n = Math.min(...fields.map((f) => f.values.length));
  return Array.from({ length: n }, (_, i) => ({
    keep: String(i),
    label: `value ${i}${fields.length === 1 ? ` (${fields[0]!.values[i]!.connector})` : ''}`,
    current: fields.every((f) => chosenIndexOf(f, resolution) === i),
  }));
}
