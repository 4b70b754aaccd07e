import { mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGoogleCsv, encodeGoogleCsv } from '../../src/codecs/csv/google-csv.js';
import { decodeVCards, encodeVCards } from '../../src/codecs/vcard/index.js';
import { categoriesOf, groupName, isGroupCard, memberUids, newGroupCard, withMember } from '../../src/model/group.js';
import type { ContactItem } from '../../src/model/item.js';
import { findProp, prop, type Property } from '../../src/model/property.js';
import { asUid, NO_UID } from '../../src/core/types.js';

/**
 * The files of the model-based engine test, as a person edits them: two vdirs (`a`, `b`),
 * a phone's .vcf (`p`, rewritten whole) and a Google CSV (`g`, lossy, no UIDs, hrefs from
 * names). Edits are surgical (one property of one entry, through the format's own codec),
 * as a person's tool would make them; broken entries are cut-off or unclosed text.
 */
export type MemberName = 'a' | 'b' | 'p' | 'g';
export const MEMBERS: MemberName[] = ['a', 'b', 'p', 'g'];
export const PERSONS = 6;

export const primaryEmail = (i: number) => `person${i}@example.org`;
export const given = (i: number) => ['Ada', 'Jörg', 'Élodie', 'Kim', 'Sven', 'Maya'][i]!;
export const family = (i: number, rename = 0) => `${['Lovelace', 'Müller', 'Dubois', 'Park', 'Berg', 'Rao'][i]!}${rename ? `-${rename}` : ''}`;
export const phoneForms = (i: number) => [`+49 176 1000000${i}`, `0176 1000000${i}`, `+49176-1000000${i}`, `+49 (176) 1000000${i}`];

export class World {
  private readonly saved = new Map<string, string>();
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'a'), { recursive: true });
    mkdirSync(join(dir, 'b'), { recursive: true });
    writeFileSync(this.phone, '');
  }
  get phone(): string { return join(this.dir, 'p.vcf'); }
  get csv(): string { return join(this.dir, 'g.csv'); }

  /** The person's entry at a member, decoded; undefined when absent or unreadable. */
  read(m: MemberName, i: number): ContactItem | undefined {
    return this.entries(m).find((e) => e.item && holds(e.item, i))?.item;
  }

  has(m: MemberName, i: number): boolean {
    return this.entries(m).some((e) => (e.item ? holds(e.item, i) : e.text.includes(primaryEmail(i))));
  }

  add(m: MemberName, i: number, fields: { org?: string; note?: string; tel?: string }, uid: string): void {
    const props: Property[] = [
      prop('fn', 'text', [`${given(i)} ${family(i)}`]),
      prop('n', 'text', [[family(i), given(i), '', '', '']]),
      prop('email', 'text', [primaryEmail(i)], { type: 'home' }),
    ];
    if (fields.tel) props.push(prop('tel', 'text', [fields.tel], { type: 'cell' }));
    if (fields.org) props.push(prop('org', 'text', [[fields.org]]));
    if (fields.note) props.push(prop('note', 'text', [fields.note]));
    if (m !== 'g') props.unshift(prop('uid', 'text', [uid]));
    const item: ContactItem = { kind: 'contact', uid: m === 'g' ? NO_UID : asUid(uid), card: { name: 'vcard', props, components: [] } };
    switch (m) {
      case 'a': case 'b': writeFileSync(join(this.dir, m, `${uid}.vcf`), encodeVCards([item], '3.0')); break;
      case 'p': writeFileSync(this.phone, readFileSync(this.phone, 'utf8') + encodeVCards([item], '3.0')); break;
      case 'g': this.rewriteCsv((items) => [...items, item]); break;
    }
  }

  /** Sets (or with undefined removes) one scalar property of the person's entry. */
  setField(m: MemberName, i: number, name: 'org' | 'note' | 'tel', value: string | undefined): void {
    this.change(m, i, (props) => {
      const rest = props.filter((p) => p.name !== name);
      if (value === undefined) return rest;
      const old = props.find((p) => p.name === name);
      return [...rest, prop(name, 'text', [name === 'org' ? [value] : value], old?.params ?? (name === 'tel' ? { type: 'cell' } : {}))];
    });
  }

  addEmail(m: MemberName, i: number, email: string): void {
    this.change(m, i, (props) => [...props, prop('email', 'text', [email], { type: 'work' })]);
  }

  /** Puts the person in a group or takes them out as a label: CATEGORIES in a vCard, a Google CSV label. */
  setLabel(m: MemberName, i: number, group: string, add: boolean): void {
    this.change(m, i, (props) => {
      const rest = props.filter((p) => p.name !== 'categories');
      const cats = props.filter((p) => p.name === 'categories').flatMap((p) => p.values.map(String)).filter((c) => c !== group);
      if (add) cats.push(group);
      return cats.length ? [...rest, prop('categories', 'text', cats)] : rest;
    });
  }

  /** The labels of the person's entry at a member (CATEGORIES). */
  labels(m: MemberName, i: number): string[] {
    const item = this.read(m, i);
    return item ? categoriesOf(item.card) : [];
  }

  /**
   * Adds or removes the person as a member of a group card in a vdir, as Apple Contacts does
   * (X-ADDRESSBOOKSERVER-MEMBER naming the UID of the person's card in that vdir); a group
   * of that name that is not there yet is made.
   */
  setGroupMember(m: 'a' | 'b', i: number, group: string, add: boolean, newUid: string): void {
    const uid = this.read(m, i)?.uid;
    if (!uid) throw new Error(`person ${i} has no readable card with a UID at ${m}`);
    const found = this.groupCard(m, group);
    const card = found?.item.card ?? newGroupCard(newUid, group, []);
    const item: ContactItem = { kind: 'contact', uid: found?.item.uid ?? asUid(newUid), card: withMember(card, uid, add) };
    writeFileSync(found?.file ?? join(this.dir, m, `${newUid}.vcf`), encodeVCards([item], '3.0'));
  }

  /** The group card of that name in a vdir, with its file. */
  groupCard(m: 'a' | 'b', group: string): { file: string; item: ContactItem } | undefined {
    const dir = join(this.dir, m);
    for (const n of readdirSync(dir).filter((x) => x.endsWith('.vcf'))) {
      const r = decodeVCards(readFileSync(join(dir, n)));
      const item = r.items[0];
      if (item && isGroupCard(item.card) && groupName(item.card) === group) return { file: join(dir, n), item };
    }
    return undefined;
  }

  /** The persons a vdir's group card names (by the UIDs of their cards there). */
  groupMembers(m: 'a' | 'b', group: string): number[] {
    const card = this.groupCard(m, group)?.item.card;
    if (!card) return [];
    const uids = memberUids(card);
    return [...Array(PERSONS).keys()].filter((i) => { const u = this.read(m, i)?.uid; return !!u && uids.includes(u); });
  }

  rename(m: MemberName, i: number, n: number): void {
    this.change(m, i, (props) => props.map((p) => {
      if (p.name === 'fn') return { ...p, values: [`${given(i)} ${family(i, n)}`] };
      if (p.name === 'n') return { ...p, values: [[family(i, n), given(i), '', '', '']] };
      return p;
    }));
  }

  remove(m: MemberName, i: number): void {
    switch (m) {
      case 'a': case 'b': unlinkSync(this.fileOf(m, i)!); break;
      case 'p': this.rewriteBlocks((b) => (b.item && holds(b.item, i) ? undefined : b.text)); break;
      case 'g': this.rewriteCsv((items) => items.filter((it) => !holds(it, i))); break;
    }
  }

  /** Makes the person's entry unparsable (kept for `repair`): a cut-off card, with or without its UID line, or an unclosed quote. */
  corrupt(m: MemberName, i: number, keepUid: boolean): void {
    const cut = (text: string) => {
      const lines = text.split(/\r?\n/).filter((l) => l !== '' && !/^END:VCARD/.test(l));
      const kept = lines.filter((l) => keepUid || !/^UID[:;]/.test(l) || false);
      return `${kept.slice(0, Math.max(3, kept.length - 1)).join('\r\n')}\r\nNOTE:cut off he`;
    };
    switch (m) {
      case 'a': case 'b': {
        const f = this.fileOf(m, i)!;
        this.saved.set(`${m}/${i}`, readFileSync(f, 'utf8'));
        writeFileSync(f, cut(readFileSync(f, 'utf8')));
        break;
      }
      case 'p': this.rewriteBlocks((b) => {
        if (!b.item || !holds(b.item, i)) return b.text;
        this.saved.set(`p/${i}`, b.text);
        const broken = `${cut(b.text)}\r\n`;
        this.saved.set(`p/${i}/broken`, broken);
        return broken;
      }); break;
      case 'g': {
        const text = readFileSync(this.csv, 'utf8');
        const lines = text.split('\n');
        const at = lines.findIndex((l) => l.includes(primaryEmail(i)));
        this.saved.set(`g/${i}`, lines[at]!);
        lines[at] = `"${lines[at]}`;
        this.saved.set(`g/${i}/broken`, lines[at]!);
        writeFileSync(this.csv, lines.join('\n'));
        break;
      }
    }
  }

  repair(m: MemberName, i: number): void {
    const good = this.saved.get(`${m}/${i}`)!;
    switch (m) {
      case 'a': case 'b': {
        const f = readdirSync(join(this.dir, m)).map((n) => join(this.dir, m, n)).find((p) => readFileSync(p, 'utf8').includes('NOTE:cut off he') && readFileSync(p, 'utf8').includes(primaryEmail(i)));
        if (f) writeFileSync(f, good);
        break;
      }
      case 'p': case 'g': {
        const file = m === 'p' ? this.phone : this.csv;
        writeFileSync(file, readFileSync(file, 'utf8').replace(this.saved.get(`${m}/${i}/broken`)!, good));
        break;
      }
    }
  }

  /** Replaces a whole single file with bytes of no format (kept for `restoreFile`). */
  garble(m: 'p' | 'g'): void {
    const file = m === 'p' ? this.phone : this.csv;
    this.saved.set(`${m}/file`, existsSync(file) ? readFileSync(file, 'utf8') : '');
    writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x7f, 0x80]));
  }

  restoreFile(m: 'p' | 'g'): void {
    writeFileSync(m === 'p' ? this.phone : this.csv, this.saved.get(`${m}/file`)!);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private fileOf(m: 'a' | 'b', i: number): string | undefined {
    const dir = join(this.dir, m);
    return readdirSync(dir).filter((n) => n.endsWith('.vcf')).map((n) => join(dir, n))
      .find((p) => { const r = decodeVCards(readFileSync(p)); return r.items[0] ? holds(r.items[0], i) : false; });
  }

  private change(m: MemberName, i: number, f: (props: Property[]) => Property[]): void {
    const edit = (item: ContactItem): ContactItem => ({ ...item, card: { ...item.card, props: f(item.card.props) } });
    switch (m) {
      case 'a': case 'b': {
        const file = this.fileOf(m, i)!;
        writeFileSync(file, encodeVCards([edit(decodeVCards(readFileSync(file)).items[0]!)], '3.0'));
        break;
      }
      case 'p': this.rewriteBlocks((b) => (b.item && holds(b.item, i) ? encodeVCards([edit(b.item)], '3.0') : b.text)); break;
      case 'g': this.rewriteCsv((items) => items.map((it) => (holds(it, i) ? edit(it) : it))); break;
    }
  }

  private blocks(): Array<{ text: string; item?: ContactItem }> {
    const text = readFileSync(this.phone, 'utf8');
    return text.split(/(?=^BEGIN:VCARD)/m).filter((t) => t.trim() !== '').map((t) => {
      const r = decodeVCards(t);
      return r.items.length === 1 && r.problems.length === 0 ? { text: t, item: r.items[0]! } : { text: t };
    });
  }

  private rewriteBlocks(f: (b: { text: string; item?: ContactItem }) => string | undefined): void {
    const out = this.blocks().map(f).filter((t): t is string => t !== undefined).map((t) => (t.endsWith('\n') ? t : `${t}\r\n`));
    writeFileSync(this.phone, out.join(''));
  }

  private rewriteCsv(f: (items: ContactItem[]) => ContactItem[]): void {
    const items = existsSync(this.csv) ? decodeGoogleCsv(readFileSync(this.csv)).items : [];
    writeFileSync(this.csv, encodeGoogleCsv(f(items)));
  }

  private entries(m: MemberName): Array<{ text: string; item?: ContactItem }> {
    switch (m) {
      case 'a': case 'b': {
        const dir = join(this.dir, m);
        return readdirSync(dir).filter((n) => n.endsWith('.vcf')).map((n) => {
          const text = readFileSync(join(dir, n), 'utf8');
          const r = decodeVCards(text);
          return r.items.length === 1 && r.problems.length === 0 ? { text, item: r.items[0]! } : { text };
        });
      }
      case 'p': return this.blocks();
      case 'g': {
        if (!existsSync(this.csv)) return [];
        const text = readFileSync(this.csv, 'utf8');
        const r = decodeGoogleCsv(text);
        return [...r.items.map((item) => ({ text: '', item })), ...r.problems.map((p) => ({ text: p.raw }))];
      }
    }
  }
}

/** Whether an entry is the person's: by the primary email, which no command changes. */
export function holds(item: ContactItem, i: number): boolean {
  return item.card.props.some((p) => p.name === 'email' && String(p.values[0]).toLowerCase() === primaryEmail(i));
}

export function fieldText(item: ContactItem, name: 'org' | 'note' | 'tel'): string | undefined {
  const p = findProp(item.card, name);
  if (!p) return undefined;
  const v = p.values[0];
  return Array.isArray(v) ? String(Array.isArray(v[0]) ? v[0][0] : v[0]) : String(v);
}
