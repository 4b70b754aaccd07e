/**
 * A vdirsyncer config as pimhub connectors and collections (shared/SPEC.md §3): storages
 * become connectors, pairs and their `collections` become collections, `password.fetch`
 * commands become `passwordCommand`. Passwords written in the file are not copied: they
 * become a `passwordEnv` to set. What has no pimhub counterpart is listed with the reason.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { VdirsyncerConfig } from './parse-config.js';

type Kind = 'contacts' | 'calendar';
type Obj = Record<string, unknown>;

export interface Converted {
  connectors: Record<string, Obj>;
  collections: Record<string, { kind: Kind; members: string[] }>;
  /** `prefer:…` when pairs said "a wins" / "b wins". */
  conflict?: string;
  /** What was not carried over, and why; and what the user must do. */
  notes: string[];
  /** Environment variables the new config reads passwords from. */
  envVars: string[];
  /** vdir folders to create (collections found on the other side only). */
  folders: string[];
}

/** Collections a DAV storage holds (last URL segments), or the reason they could not be listed. */
export type Discover = (name: string, connector: Obj) => Promise<{ names: string[] } | { error: string }>;

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const expand = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p);

function kindOfExt(ext: string | undefined): Kind | undefined {
  if (!ext) return undefined;
  if (/\.vcf$|\.vcard$/i.test(ext)) return 'contacts';
  if (/\.ics$|\.ical$/i.test(ext)) return 'calendar';
  return undefined;
}

interface Side {
  storage: string;
  name: string;
  type: string;
  kind?: Kind;
  /** The connector for the storage itself (DAV, or a file/folder that is one collection). */
  base?: Obj;
  options: Obj;
}

export async function convertVdirsyncer(cfg: VdirsyncerConfig, discover: Discover): Promise<Converted> {
  const out: Converted = { connectors: {}, collections: {}, notes: [], envVars: [], folders: [] };
  const storages = new Map(cfg.storages.map((s) => [s.name, s]));
  const winners: string[] = [];
  if (cfg.general.password_command !== undefined) out.notes.push('general.password_command: not carried over; each DAV connector takes its own passwordCommand');

  const side = (storageName: string, pair: string): Side | undefined => {
    const s = storages.get(storageName);
    if (!s) {
      out.notes.push(`pair ${pair}: no [storage ${storageName}] in the file`);
      return undefined;
    }
    const o = s.options;
    const type = str(o.type) ?? '';
    const name = safe(storageName);
    const skipped = (why: string) => {
      out.notes.push(`storage ${storageName} (type ${type || 'missing'}): not mapped: ${why}`);
      return undefined;
    };
    const extra = (known: string[]) => {
      for (const k of Object.keys(o)) if (!known.includes(k)) out.notes.push(`storage ${storageName}: ${k} is not carried over (pimhub has no such option)`);
    };
    if (type === 'filesystem') {
      extra(['type', 'path', 'fileext', 'encoding', 'post_hook', 'read_only']);
      const path = str(o.path);
      if (!path) return skipped('no path');
      const base: Obj = { type: 'vdir', path, ...(o.read_only === true ? { readOnly: true } : {}) };
      return { storage: storageName, name, type, kind: kindOfExt(str(o.fileext)), base, options: o };
    }
    if (type === 'singlefile') {
      extra(['type', 'path', 'read_only']);
      const path = str(o.path);
      if (!path) return skipped('no path');
      const kind = kindOfExt(path.replace('%s', ''));
      const base: Obj = { type: kind === 'contacts' ? 'vcard-file' : 'ics-file', path, ...(o.read_only === true ? { readOnly: true } : {}) };
      return { storage: storageName, name, type, kind, base, options: o };
    }
    if (type === 'carddav' || type === 'caldav') {
      extra(['type', 'url', 'username', 'password', 'password.fetch', 'verify', 'read_only', 'item_types', 'start_date', 'end_date', 'useragent']);
      const url = str(o.url);
      if (!url) return skipped('no url');
      const base: Obj = { type, url };
      if (str(o.username)) base.username = o.username;
      else if (o['username.fetch'] !== undefined) out.notes.push(`storage ${storageName}: username.fetch is not supported; write the username into connectors.${name}.username`);
      const fetch = o['password.fetch'];
      if (Array.isArray(fetch) && fetch[0] === 'command' && fetch.length > 1 && fetch.every((x) => typeof x === 'string')) {
        base.passwordCommand = fetch.slice(1);
      } else if (base.username !== undefined && (o.password !== undefined || fetch !== undefined)) {
        const env = `${safe(storageName).toUpperCase()}_PASSWORD`;
        base.passwordEnv = env;
        out.envVars.push(env);
        out.notes.push(o.password !== undefined
          ? `storage ${storageName}: the password written in the vdirsyncer config is not copied; set ${env} (or use passwordCommand)`
          : `storage ${storageName}: password.fetch ${JSON.stringify(fetch)} has no pimhub counterpart (only ["command", …] has); set ${env} or write a passwordCommand`);
      }
      if (o.verify === false) {
        base.insecure = true;
        out.notes.push(`storage ${storageName}: verify = false became insecure: true (any TLS certificate is accepted)`);
      } else if (typeof o.verify === 'string') base.caFile = o.verify;
      if (o.read_only === true) base.readOnly = true;
      if (o.start_date !== undefined || o.end_date !== undefined) out.notes.push(`storage ${storageName}: start_date/end_date are not supported; every item is synced`);
      return { storage: storageName, name, type, kind: type === 'carddav' ? 'contacts' : 'calendar', base, options: o };
    }
    if (type === 'google_contacts' || type === 'google_calendar') return skipped('pimhub has no Google API connector (OAuth); export a Google CSV and use a google-csv connector instead');
    if (type === 'http') return skipped('a read-only calendar subscription URL; pimhub has no http connector yet');
    return skipped('pimhub has no connector of this type');
  };

  /** Names of the collections a side holds, for "from a" / "from b". */
  const collectionsOf = async (s: Side): Promise<string[] | undefined> => {
    if (s.type === 'filesystem') {
      const dir = expand(str(s.options.path)!);
      if (!existsSync(dir)) return [];
      return readdirSync(dir).filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isDirectory()).sort();
    }
    if (s.type === 'carddav' || s.type === 'caldav') {
      const r = await discover(s.name, s.base!);
      if ('names' in r) return r.names;
      out.notes.push(`storage ${s.storage}: could not list its collections (${r.error}); run \`pimhub check\` once it is reachable and add the members it lists`);
      return undefined;
    }
    out.notes.push(`storage ${s.storage}: "from" needs a storage that lists collections; name the collections in the pair instead`);
    return undefined;
  };

  /** The member for collection `coll` of a side (undefined: it has none of that name). */
  const memberOf = (s: Side, coll: string | null, found: string[] | undefined): string | undefined => {
    if (coll === null) {
      out.connectors[s.name] ??= s.base!;
      return s.name;
    }
    if (s.type === 'carddav' || s.type === 'caldav') {
      out.connectors[s.name] ??= s.base!;
      if (found && !found.includes(coll)) {
        out.notes.push(`storage ${s.storage}: has no collection "${coll}"; create it on the server, then add ${s.name}/${coll} to the members`);
        return undefined;
      }
      return `${s.name}/${coll}`;
    }
    const name = safe(`${s.storage}_${coll}`);
    const path = s.type === 'filesystem' ? `${str(s.options.path)!.replace(/\/+$/, '')}/${coll}` : str(s.options.path)!.replace('%s', coll);
    if (s.type === 'singlefile' && !str(s.options.path)!.includes('%s')) {
      out.notes.push(`storage ${s.storage}: a single file without %s in its path holds one collection; "${coll}" is not mapped`);
      return undefined;
    }
    if (s.type === 'filesystem' && !existsSync(expand(path))) out.folders.push(expand(path));
    out.connectors[name] = { ...s.base!, path };
    return name;
  };

  for (const p of cfg.pairs) {
    const pair = safe(p.name);
    const a = side(str(p.options.a) ?? '', p.name);
    const b = side(str(p.options.b) ?? '', p.name);
    const sides = [a, b].filter((x): x is Side => x !== undefined);
    if (sides.length === 0) {
      out.notes.push(`pair ${p.name}: neither storage could be mapped; the pair is left out`);
      continue;
    }
    const kind = a?.kind ?? b?.kind;
    if (!kind) {
      out.notes.push(`pair ${p.name}: cannot tell contacts from calendars (set fileext = ".vcf" or ".ics"); the pair is left out`);
      continue;
    }
    for (const s of sides) s.base = s.base && s.type === 'singlefile' ? { ...s.base, type: kind === 'contacts' ? 'vcard-file' : 'ics-file' } : s.base;
    const cr = p.options.conflict_resolution;
    if (cr === 'a wins' && a) winners.push(a.name);
    else if (cr === 'b wins' && b) winners.push(b.name);
    else if (cr !== undefined && cr !== null) out.notes.push(`pair ${p.name}: conflict_resolution ${JSON.stringify(cr)} is not carried over; pimhub merges field by field and decides conflicts by \`conflict\` (newest)`);
    if (p.options.metadata !== undefined) out.notes.push(`pair ${p.name}: metadata ${JSON.stringify(p.options.metadata)}: pimhub keeps a collection's display name and colour in its store and serves them; they are not synced to members`);
    for (const k of Object.keys(p.options)) if (!['a', 'b', 'collections', 'conflict_resolution', 'metadata', 'partial_sync'].includes(k)) out.notes.push(`pair ${p.name}: ${k} is not carried over`);

    const colls = p.options.collections;
    const triples: Array<[string, string | null, string | null]> = [];
    const found = new Map<Side, string[] | undefined>();
    // Listed where a "from" names the side, and on DAV sides (to check the names given).
    for (const s of sides) {
      const from = Array.isArray(colls) && colls.includes(s === a ? 'from a' : 'from b');
      if (Array.isArray(colls) && (from || s.type === 'carddav' || s.type === 'caldav')) found.set(s, await collectionsOf(s));
    }
    if (colls === undefined || colls === null) triples.push([pair, null, null]);
    else if (Array.isArray(colls)) {
      for (const c of colls) {
        if (c === 'from a' || c === 'from b') {
          const s = c === 'from a' ? a : b;
          for (const n of (s && found.get(s)) ?? []) triples.push([n, n, n]);
        } else if (typeof c === 'string') triples.push([c, c, c]);
        else if (Array.isArray(c) && c.length === 3 && c.every((x) => typeof x === 'string' || x === null)) triples.push(c as [string, string | null, string | null]);
        else out.notes.push(`pair ${p.name}: collection ${JSON.stringify(c)} is not understood`);
      }
    } else out.notes.push(`pair ${p.name}: collections = ${JSON.stringify(colls)} is not a list; the pair is left out`);
    const seen = new Set<string>();
    for (const [cname, ac, bc] of triples) {
      if (seen.has(cname)) continue;
      seen.add(cname);
      const members = [
        a ? memberOf(a, ac, found.get(a)) : undefined,
        b ? memberOf(b, bc, found.get(b)) : undefined,
      ].filter((m): m is string => m !== undefined);
      if (members.length === 0) continue;
      const name = cname === pair ? pair : safe(`${p.name}-${cname}`);
      out.collections[name] = { kind, members };
    }
  }
  const used = new Set(cfg.pairs.flatMap((p) => [str(p.options.a), str(p.options.b)]));
  for (const s of cfg.storages) if (!used.has(s.name)) out.notes.push(`storage ${s.name}: no pair uses it; left out`);
  if (winners.length > 0) out.conflict = `prefer:${[...new Set(winners)].join(',')}`;
  return out;
}
