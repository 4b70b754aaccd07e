/**
 * Google Contacts labels ⇄ vCard TYPE parameters.
 *
 * Each kind of field (email, phone, address, website) has Google's built-in labels, which
 * map to TYPE values. A leading `* ` marks the primary value (→ `PREF=1`). Any other label
 * is a custom label, held the way iPhone and DAVx5 hold one: the property gets a group
 * (`item1`) and an `item1.X-ABLABEL` property carries the label text. That form survives
 * vCard files and CardDAV servers unchanged, and writing it back gives Google the same label.
 */
export type LabelKind = 'email' | 'tel' | 'adr' | 'url';

interface LabelEntry {
  label: string;
  /** TYPE values (without `pref`, `voice`, `internet`), in the order a decoded property gets them. */
  types: string[];
  aliases?: string[];
}

/** Order matters: when a property's TYPEs match no entry exactly, the first largest subset wins. */
export const GOOGLE_LABELS: Record<LabelKind, LabelEntry[]> = {
  email: [
    { label: 'Home', types: ['home'] },
    { label: 'Work', types: ['work'] },
    { label: 'Other', types: [] },
  ],
  tel: [
    { label: 'Mobile', types: ['cell'], aliases: ['cell', 'mobile phone', 'cell phone'] },
    { label: 'Work Fax', types: ['work', 'fax'], aliases: ['business fax'] },
    { label: 'Home Fax', types: ['home', 'fax'] },
    { label: 'Other Fax', types: ['fax'], aliases: ['fax'] },
    { label: 'Pager', types: ['pager'] },
    { label: 'Main', types: ['main'] },
    { label: 'Home', types: ['home'] },
    { label: 'Work', types: ['work'], aliases: ['business'] },
    { label: 'Other', types: [] },
  ],
  adr: [
    { label: 'Home', types: ['home'] },
    { label: 'Work', types: ['work'], aliases: ['business'] },
    { label: 'Other', types: [] },
  ],
  url: [
    { label: 'Home Page', types: ['home'], aliases: ['homepage', 'home'] },
    { label: 'Work', types: ['work'] },
    { label: 'Other', types: [] },
  ],
};

export interface DecodedLabel {
  types: string[];
  pref: boolean;
  /** A label that is none of Google's built-in ones, kept as text. */
  custom?: string;
}

export function decodeLabel(kind: LabelKind, cell: string): DecodedLabel {
  let label = cell.trim();
  let pref = false;
  if (label.startsWith('*')) {
    pref = true;
    label = label.slice(1).trim();
  }
  if (label === '') return { types: [], pref };
  const k = label.toLowerCase();
  const entry = GOOGLE_LABELS[kind].find((e) => e.label.toLowerCase() === k || e.aliases?.includes(k));
  if (entry) return { types: [...entry.types], pref };
  return { types: [], pref, custom: label };
}

/**
 * The label to write for a property with the given TYPEs: the exact built-in match, else
 * the built-in label whose TYPEs are the largest subset (`work,cell` → `Mobile`), else `Other`.
 */
export function labelForTypes(kind: LabelKind, types: string[]): string {
  const entries = GOOGLE_LABELS[kind];
  const exact = entries.find((e) => e.types.length === types.length && e.types.every((t) => types.includes(t)));
  if (exact) return exact.label;
  let best: LabelEntry | undefined;
  for (const e of entries) {
    if (e.types.length > 0 && e.types.every((t) => types.includes(t)) && (!best || e.types.length > best.types.length)) best = e;
  }
  return best?.label ?? 'Other';
}

/** Whether a custom label text would be read back as a custom label (not as a built-in one). */
export function isCustomLabel(kind: LabelKind, label: string): boolean {
  const d = decodeLabel(kind, label);
  return d.custom === label.trim() && !d.pref;
}
