/**
 * Android's `X-ANDROID-CUSTOM:vnd.android.cursor.item/<kind>;data1;…;data15` rows, the form
 * Android's exporter uses for what vCard 2.1/3.0 have no property for. Read: nickname →
 * NICKNAME, relation → RELATED (text), contact_event → ANNIVERSARY or a labelled X-ABDATE;
 * a type Android labels itself (Brother, Maiden name…) or a custom label becomes an
 * X-ABLABEL in the property's group, as Apple writes labels. Written back (Android exports
 * only) in Android's form. Rows of other kinds, or that do not fit, stay as they are.
 */
import type { Property } from '../../model/property.js';

const PREFIX = 'vnd.android.cursor.item/';

interface Kind {
  /** The vCard property an Android row of this kind becomes. */
  prop: string;
  /** Android's type numbers that need no label, with the vCard TYPE they carry. */
  plain: Record<string, string[]>;
  /** Android's type numbers and the label they show. */
  labels: Record<string, string>;
}

const KINDS: Record<string, Kind> = {
  nickname: { prop: 'nickname', plain: { '1': [] }, labels: { '2': 'Other name', '3': 'Maiden name', '4': 'Short name', '5': 'Initials' } },
  relation: {
    prop: 'related',
    plain: { '3': ['child'], '6': ['friend'], '9': ['parent'], '12': ['kin'], '14': ['spouse'] },
    labels: { '1': 'Assistant', '2': 'Brother', '4': 'Domestic partner', '5': 'Father', '7': 'Manager', '8': 'Mother', '10': 'Partner', '11': 'Referred by', '13': 'Sister' },
  },
  contact_event: { prop: 'anniversary', plain: { '1': [] }, labels: { '2': 'Other' } },
};
const RELATED_TYPE_OF: Record<string, string> = { '1': 'agent', '2': 'sibling', '4': 'sweetheart', '5': 'parent', '7': 'co-worker', '8': 'parent', '10': 'sweetheart', '11': 'contact', '13': 'sibling' };
const DATE = /^(\d{4}-?\d{2}-?\d{2}|--\d{2}-?\d{2})$/;

/** Splits Android's `;`-joined fields (`\;` and `\\` escaped). */
function splitFields(v: string): string[] {
  const out = [''];
  for (let i = 0; i < v.length; i++) {
    const ch = v[i]!;
    if (ch === '\\' && i + 1 < v.length) {
      const next = v[++i]!;
      out[out.length - 1] += next === 'n' || next === 'N' ? '\n' : next;
    } else if (ch === ';') out.push('');
    else out[out.length - 1] += ch;
  }
  return out;
}

const escapeField = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/\r?\n/g, '\\n');

function freeGroup(props: Property[]): () => string {
  const used = new Set(props.map((p) => p.group).filter((g): g is string => g !== undefined));
  let n = 1;
  return () => {
    while (used.has(`item${n}`)) n++;
    used.add(`item${n}`);
    return `item${n}`;
  };
}

const label = (value: string, group: string): Property => ({ name: 'x-ablabel', params: {}, type: 'unknown', values: [value], group });

/** The card's properties with Android's rows for nickname, relation and events read into vCard properties. */
export function readAndroidRows(props: Property[]): Property[] {
  if (!props.some((p) => p.name === 'x-android-custom')) return props;
  const group = freeGroup(props);
  const out: Property[] = [];
  let anniversary = props.some((p) => p.name === 'anniversary');
  for (const p of props) {
    const raw = p.name === 'x-android-custom' && typeof p.values[0] === 'string' && p.values.length === 1 && p.group === undefined ? p.values[0] : undefined;
    const fields = raw?.startsWith(PREFIX) ? splitFields(raw.slice(PREFIX.length)) : undefined;
    const kind = fields ? KINDS[fields[0]!] : undefined;
    const [value = '', type = '', custom = ''] = fields?.slice(1) ?? [];
    if (!kind || value === '' || (kind.prop === 'anniversary' && !DATE.test(value)) || !(type in kind.plain || type in kind.labels || (type === '0' && custom !== ''))) {
      out.push(p);
      continue;
    }
    if (kind.prop === 'anniversary') {
      if (type === '1' && !anniversary) {
        anniversary = true;
        out.push({ name: 'anniversary', params: {}, type: 'date', values: [value] });
      } else {
        const g = group();
        out.push({ name: 'x-abdate', params: {}, type: 'unknown', values: [value], group: g }, label(type === '0' ? custom : type === '1' ? 'Anniversary' : kind.labels[type]!, g));
      }
      continue;
    }
    const types = kind.plain[type] ?? (kind.prop === 'related' && RELATED_TYPE_OF[type] ? [RELATED_TYPE_OF[type]!] : []);
    const prop: Property = { name: kind.prop, params: types.length ? { type: types } : {}, type: 'text', values: [value] };
    if (type in kind.plain) out.push(prop);
    else {
      const g = group();
      out.push({ ...prop, group: g }, label(type === '0' ? custom : kind.labels[type]!, g));
    }
  }
  return out;
}

/** Apple's `_$!<Brother>!$_` or a plain label, as the label text. */
const labelText = (v: unknown) => (typeof v === 'string' ? v.replace(/^_\$!<(.*)>!\$_$/, '$1') : '');

function row(kind: string, value: string, type: string, custom = ''): Property {
  const fields = [value, type, custom, ...Array<string>(12).fill('')].map(escapeField);
  return { name: 'x-android-custom', params: {}, type: 'unknown', values: [`${PREFIX}${kind};${fields.join(';')}`] };
}

/**
 * The card's properties as Android writes them: RELATED, ANNIVERSARY and labelled X-ABDATE
 * (and, in 2.1, NICKNAME) become X-ANDROID-CUSTOM rows; their X-ABLABELs go with them.
 */
export function writeAndroidRows(props: Property[], version: string): Property[] {
  const labelOf = new Map(props.filter((p) => p.name === 'x-ablabel' && p.group).map((p) => [p.group!, labelText(p.values[0])]));
  const consumed = new Set<string>();
  const out: Property[] = [];
  const pick = (kind: Kind, lbl: string | undefined, types: string[]): [string, string] => {
    if (lbl) {
      const hit = Object.entries(kind.labels).find(([, l]) => l.toLowerCase() === lbl.toLowerCase());
      return hit ? [hit[0], ''] : ['0', lbl];
    }
    const plain = Object.entries(kind.plain).find(([, t]) => t.length > 0 ? t.every((x) => types.includes(x)) : types.length === 0);
    if (plain) return [plain[0], ''];
    const related = Object.entries(RELATED_TYPE_OF).find(([, t]) => types.includes(t));
    if (kind.prop === 'related' && related) return [related[0], ''];
    return ['0', types[0] ?? ''];
  };
  for (const p of props) {
    const text = typeof p.values[0] === 'string' && p.values.length === 1 ? p.values[0] : undefined;
    const lbl = p.group ? labelOf.get(p.group) : undefined;
    const types = (Array.isArray(p.params.type) ? p.params.type : p.params.type ? [p.params.type] : []).map((t) => t.toLowerCase());
    if (text !== undefined && p.name === 'related' && p.type === 'text') {
      const [t, custom] = pick(KINDS.relation!, lbl, types);
      out.push(row('relation', text, t, custom));
    } else if (text !== undefined && p.name === 'nickname' && version === '2.1') {
      const [t, custom] = pick(KINDS.nickname!, lbl, types);
      out.push(row('nickname', text, t, custom));
    } else if (text !== undefined && (p.name === 'anniversary' || (p.name === 'x-abdate' && p.group)) && DATE.test(text)) {
      const anniversaryLabel = p.name === 'anniversary' || lbl?.toLowerCase() === 'anniversary';
      const [t, custom] = anniversaryLabel ? ['1', ''] : lbl === undefined || lbl.toLowerCase() === 'other' ? ['2', ''] : ['0', lbl];
      out.push(row('contact_event', text, t, custom));
    } else {
      out.push(p);
      continue;
    }
    if (p.group) consumed.add(p.group);
  }
  return out.filter((p) => !(p.name === 'x-ablabel' && p.group && consumed.has(p.group)));
}
