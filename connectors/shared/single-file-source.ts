import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname } from 'node:path';
import type {
  Delta, FetchResult, FlushableSource, IncrementalSource, ListedEntry, WriteResult,
} from '../../src/core/connector.js';
import { PimError, messageOf } from '../../src/core/errors.js';
import type { CollectionKind, Etag, Href } from '../../src/core/types.js';
import { asEtag, asHref } from '../../src/core/types.js';
import { readableUid } from '../../src/codecs/readable-uid.js';
import type { DecodeProblem, DecodeResult } from '../../src/codecs/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';
import { removeStaleTemps, writeFileAtomic } from './atomic-file.js';
import { allocateHref, baseHrefOf, baseOfHref, discriminatorOf, isUidHref } from './entry-hrefs.js';
import { currentSignature, readSnapshot, type FileSnapshot } from './file-snapshot.js';
import { itemEtag, sha1, signatureOf } from './signatures.js';
import { fsCall } from './fs-errors.js';
import { killPoint } from '../../src/core/kill-point.js';

/** The error for a read-only file that is not there (a wrong path, an export not made yet). */
export function missingFile(path: string, name: string, cause?: unknown): PimError {
  return new PimError('not-found', `file ${path} does not exist; create it or fix connectors.${name}.path`, { where: path, cause });
}

/** What a single-file connector plugs into {@link SingleFileSource}: its codec. */
export interface SingleFileFormat<T extends Item> {
  readonly kind: CollectionKind;
  /** What the file can hold; may peek at the raw bytes (the vCard version) but not parse them. */
  capabilities(bytes: Uint8Array | undefined): FormatCapabilities;
  /** Decodes the whole file (undefined: it does not exist yet). */
  decode(bytes: Uint8Array | undefined): DecodedFile<T>;
  /**
   * For formats whose entries decode one at a time (a .vcf): the file entry by entry, each
   * with the span of its bytes, and how to decode a span again. The source then keeps
   * spans, not decoded items, so its memory grows with a batch being read, not with the file.
   */
  spans?(bytes: Uint8Array): SpannedFile<T>;
}

export interface SpannedFile<T extends Item> {
  file: FileCodec<T>;
  entries: Iterable<{ start: number; end: number; item?: T; problem?: DecodeProblem }>;
  /** The item of a span `entries` gave (decoding it again); undefined if it does not decode as one item. */
  decodeSpan(start: number, end: number): T | undefined;
}

export interface DecodedFile<T extends Item> extends DecodeResult<T>, FileCodec<T> {}

/** How a file is written back, keeping what the file read holds beside its entries. */
export interface FileCodec<T extends Item> {
  /** Encodes a whole file, keeping the file-level data of the one decoded (X-WR-CALNAME, the version). */
  encode(items: T[]): string;
  /**
   * One entry's text, for formats whose file is nothing but its entries' texts one after
   * another (a .vcf): `encode(items)` is then their concatenation, and a rewrite encodes and
   * writes entry by entry instead of building the whole text. Such a format's `appendRaw`
   * looks only at the end of the text it is given.
   */
  encodeEach?(item: T): string;
  /** Adds entries that could not be decoded back to an encoded file, verbatim. Absent or
   * undefined when the format cannot: then a file with broken entries is not rewritten, so
   * nothing is lost. */
  appendRaw?(encoded: string, raws: string[]): string | undefined;
}

/** An entry read from the file holds its span (decoded again when asked), one written by this run its item. */
type Entry<T> =
  | { kind: 'item'; seq: number; etag: Etag; item: T }
  | { kind: 'spanned'; seq: number; etag: Etag; start: number; end: number }
  | { kind: 'broken'; seq: number; etag: Etag; problem: DecodeProblem; uid?: string };

interface Loaded<T extends Item> {
  file: FileCodec<T>;
  entries: Map<Href, Entry<T>>;
  decodeSpan?: SpannedFile<T>['decodeSpan'];
}

/** What opening needs of an entry before its href is known. */
interface Opened<T> {
  base: string;
  etag: Etag;
  item?: T;
  span?: { start: number; end: number };
  /** What tells it from namesakes, when it has no UID (computed while its item is at hand). */
  discriminator?: string;
}

export interface SingleFileOptions<T extends Item> {
  id: string;
  path: string;
  format: SingleFileFormat<T>;
  /** A missing file is an error (read-only sources) instead of an empty file created on flush. */
  mustExist: boolean;
}

/**
 * One file holding many items (a phone's .vcf export, an .ics, a CSV). The file is read
 * once when the source is opened and parsed at most once; writes change an in-memory list
 * and `flush()` rewrites the whole file atomically, after checking that nobody changed it
 * since it was read. Entry hrefs come from UIDs or names ({@link baseHrefOf}); entry etags
 * are content hashes, so they survive re-exports that leave an entry as it was.
 *
 * Incremental reads: the token is the file signature. Unchanged → an empty delta without
 * parsing; changed → null (this source keeps no sync state, so it cannot say what was
 * deleted); no token → every entry with a fresh token, like an RFC 6578 initial sync.
 */
export class SingleFileSource<T extends Item> implements FlushableSource, IncrementalSource {
  readonly id: string;
  readonly kind: CollectionKind;
  readonly capabilities: FormatCapabilities;
  private loaded: Loaded<T> | undefined;
  private nextSeq = 0;
  private dirty = false;

  private constructor(private readonly opts: SingleFileOptions<T>, private snapshot: FileSnapshot) {
    this.id = opts.id;
    this.kind = opts.format.kind;
    this.capabilities = opts.format.capabilities(snapshot.bytes);
  }

  static async open<T extends Item>(opts: SingleFileOptions<T>): Promise<SingleFileSource<T>> {
    // What a rewrite killed half-way left beside the file (the vdir cleans its own folder when listing).
    const [dir, prefix] = [dirname(opts.path), `.${basename(opts.path)}.`];
    await removeStaleTemps(dir, (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)));
    const snapshot = await readSnapshot(opts.path);
    if (snapshot.bytes === undefined && opts.mustExist) throw missingFile(opts.path, opts.id);
    return new SingleFileSource(opts, snapshot);
  }

  async changesSince(token: string | undefined): Promise<Delta | null> {
    if (token === this.snapshot.signature && !this.dirty) return { changed: [], deleted: [], token };
    if (token !== undefined) return null;
    return { changed: await this.list(), deleted: [], token: this.snapshot.signature };
  }

  async list(): Promise<ListedEntry[]> {
    return [...this.load().entries].map(([href, e]) => ({ href, etag: e.etag }));
  }

  async get(hrefs: readonly Href[]): Promise<FetchResult> {
    const { entries } = this.load();
    const result: FetchResult = { items: [], problems: [] };
    for (const href of hrefs) {
      const e = entries.get(href);
      if (!e) continue;
      if (e.kind !== 'broken') {
        // Not a copy: items are never changed in place (merges and writes make new ones), and a
        // copy per entry held a second decoded collection for the whole run (B5 at 100,000).
        result.items.push({ href, etag: e.etag, item: this.itemOf(e), ...(this.snapshot.modified ? { modified: this.snapshot.modified } : {}) });
      }
      else {
        result.problems.push({
          href, etag: e.etag, where: `${this.opts.path}:${e.problem.line}`, message: e.problem.message, raw: e.problem.raw,
          ...(e.uid ? { uid: e.uid } : {}),
        });
      }
    }
    return result;
  }

  async create(item: Item): Promise<WriteResult> {
    if (item.uid === '') throw new PimError('invalid-data', 'an item without UID cannot be created (the engine assigns one)', { where: this.opts.path });
    const stored = this.normalise(item);
    const { entries } = this.load();
    const base = baseHrefOf(stored);
    if (isUidHref(base) && entries.has(asHref(base))) {
      throw new PimError('precondition-failed', `${this.opts.path} holds UID ${item.uid} already`, { where: this.opts.path });
    }
    const href = allocateHref(base, (h) => entries.has(h));
    const etag = itemEtag(stored);
    entries.set(href, { kind: 'item', seq: this.nextSeq++, etag, item: stored });
    this.dirty = true;
    return { href, etag };
  }

  async update(href: Href, etag: Etag, item: Item): Promise<WriteResult> {
    const stored = this.normalise(item);
    const { entries } = this.load();
    const old = this.expect(href, etag, 'update');
    if (!old) throw new PimError('precondition-failed', `${href} is no longer in ${this.opts.path}`, { where: this.opts.path });
    const base = baseHrefOf(stored);
    let newHref = href;
    if (base !== baseOfHref(href)) {
      if (isUidHref(base) && entries.has(asHref(base))) {
        throw new PimError('precondition-failed', `${this.opts.path} holds UID ${item.uid} already`, { where: this.opts.path });
      }
      entries.delete(href);
      newHref = allocateHref(base, (h) => entries.has(h));
    }
    const newEtag = itemEtag(stored);
    entries.set(newHref, { kind: 'item', seq: old.seq, etag: newEtag, item: stored });
    this.dirty = true;
    return { href: newHref, etag: newEtag };
  }

  async delete(href: Href, etag: Etag): Promise<void> {
    if (!this.expect(href, etag, 'delete')) return;
    this.load().entries.delete(href);
    this.dirty = true;
  }

  async flush(): Promise<void> {
    if (!this.dirty) return;
    const { path } = this.opts;
    const { file, entries } = this.load();
    if ((await currentSignature(path)) !== this.snapshot.signature) {
      throw new PimError('precondition-failed', `${path} changed since it was read; it will be read again on the next run`, { where: path });
    }
    const blocker = this.rewriteBlocker();
    if (blocker) throw blocker;
    const ordered = [...entries.values()].sort((a, b) => a.seq - b.seq);
    const raws = ordered.flatMap((e) => (e.kind === 'broken' ? [e.problem.raw] : []));
    const hash = createHash('sha256');
    const text = file.encodeEach ? this.textByEntry(file, file.encodeEach, ordered, raws) : this.wholeText(file, ordered, raws);
    await writeFileAtomic(path, (function* hashed() {
      for (const piece of text) {
        hash.update(piece);
        yield piece;
      }
    })());
    killPoint('single-file.written');
    // The bytes stay those first read: the entries' spans point into them.
    this.snapshot = { bytes: this.snapshot.bytes, signature: signatureOf(await fsCall(path, 'stat', () => fs.stat(path, { bigint: true })), hash.digest('hex')) };
    this.dirty = false;
  }

  /** The rewrite as one text (formats with a header or a wrapper: CSV, .ics). */
  private *wholeText(file: FileCodec<T>, ordered: Array<Entry<T>>, raws: string[]): Generator<string> {
    const encoded = this.encode(file, ordered.flatMap((e) => (e.kind === 'broken' ? [] : [this.itemOf(e)])));
    const text = raws.length === 0 ? encoded : file.appendRaw?.(encoded, raws);
    if (text === undefined) throw this.rawsNotKept();
    killPoint('single-file.encoded');
    yield text;
  }

  /**
   * The rewrite entry by entry: each entry decoded (from its span), encoded and handed to the
   * writer, one at a time. The last entry's text is held back to end the file with what the
   * format appends for broken entries.
   */
  private *textByEntry(file: FileCodec<T>, encodeEach: (item: T) => string, ordered: Array<Entry<T>>, raws: string[]): Generator<string> {
    let last = '';
    for (const e of ordered) {
      if (e.kind === 'broken') continue;
      const item = this.itemOf(e);
      const text = this.encodeEntry(() => encodeEach(item));
      if (last !== '') yield last;
      last = text;
    }
    const tail = raws.length === 0 ? last : file.appendRaw?.(last, raws);
    if (tail === undefined) throw this.rawsNotKept();
    killPoint('single-file.encoded');
    yield tail;
  }

  private rawsNotKept(): PimError {
    const { path } = this.opts;
    return new PimError('invalid-data', `${path}: entries that cannot be read could not be kept; the file is not rewritten`, { where: path });
  }

  rewriteBlocker(): PimError | undefined {
    const { file, entries } = this.load();
    const broken = [...entries.values()].flatMap((e) => (e.kind === 'broken' ? [e] : [])).sort((a, b) => a.seq - b.seq);
    if (broken.length === 0 || file.appendRaw?.(file.encode([]), broken.map((e) => e.problem.raw)) !== undefined) return undefined;
    const { path } = this.opts;
    const line = broken[0]!.problem.line;
    return new PimError('invalid-data', `${path} has entries that cannot be read (line ${line}); fix or remove them before pimhub rewrites the file`, { where: path, line });
  }

  /** The entry if its etag matches; undefined if gone; precondition-failed if changed. */
  private expect(href: Href, etag: Etag, what: string): Entry<T> | undefined {
    const e = this.load().entries.get(href);
    if (e && e.etag !== etag) {
      throw new PimError('precondition-failed', `cannot ${what} ${href} in ${this.opts.path}: it changed (etag ${e.etag}, expected ${etag})`, { where: this.opts.path });
    }
    return e;
  }

  /** An entry's item: as written by this run, else decoded again from its span of the file read. */
  private itemOf(e: Exclude<Entry<T>, { kind: 'broken' }>): T {
    if (e.kind === 'item') return e.item;
    const item = this.load().decodeSpan?.(e.start, e.end);
    if (!item) throw new PimError('io', `${this.opts.path}: the entry at bytes ${e.start}–${e.end} no longer decodes as it did when the file was opened`, { where: this.opts.path });
    return item;
  }

  private load(): Loaded<T> {
    if (this.loaded) return this.loaded;
    const { bytes } = this.snapshot;
    const spanned = bytes === undefined ? undefined : this.opts.format.spans?.(bytes);
    const opened: Array<Opened<T>> = [];
    let file: FileCodec<T>;
    let problems: DecodeProblem[];
    if (spanned) {
      // Only what an entry's href and etag need is kept of its decoded item.
      problems = [];
      for (const e of spanned.entries) {
        if (!e.item) {
          if (e.problem) problems.push(e.problem);
          continue;
        }
        const base = baseHrefOf(e.item);
        opened.push({ base, etag: itemEtag(e.item), span: { start: e.start, end: e.end }, ...(isUidHref(base) ? {} : { discriminator: discriminatorOf(e.item) }) });
      }
      file = spanned.file;
    } else {
      const decoded = this.opts.format.decode(bytes);
      for (const item of decoded.items) opened.push({ base: baseHrefOf(item), etag: itemEtag(item), item });
      ({ problems } = decoded);
      file = decoded;
    }
    const entries = new Map<Href, Entry<T>>();
    // The codec does not say where good items start, so broken entries follow the good
    // ones (and are appended after them on a rewrite).
    // Bases that occur more than once, in one pass: `indexOf` per entry made opening a .vcf
    // of 100,000 cards take minutes (B5).
    const seen = new Set<string>();
    const shared = new Set<string>();
    for (const { base } of opened) (seen.has(base) ? shared : seen).add(base);
    for (const o of opened) {
      // Namesakes without UID are told apart by what they hold, not by their place in the
      // file: deleting the first of two must not hand its href to the second.
      const base = shared.has(o.base) && !isUidHref(o.base) ? `${o.base}~${o.discriminator ?? discriminatorOf(o.item!)}` : o.base;
      const href = allocateHref(base, (h) => entries.has(h));
      const seq = this.nextSeq++;
      entries.set(href, o.span ? { kind: 'spanned', seq, etag: o.etag, ...o.span } : { kind: 'item', seq, etag: o.etag, item: o.item! });
    }
    if (opened.length === 0 && problems.length > 0 && hasContent(this.snapshot.bytes)) {
      // Garbage, the wrong format, or a file cut off before its first entry ended: the whole
      // source is unknown this run, never an empty one (SPEC §4).
      const first = problems[0]!;
      throw new PimError(
        'invalid-data',
        `${this.opts.path} cannot be read (line ${first.line}: ${first.message}); nothing in it counts as changed or deleted until it can be read — restore or re-export the file`,
        { where: this.opts.path, line: first.line },
      );
    }
    for (const problem of hasContent(this.snapshot.bytes) ? problems : []) {
      const etag = asEtag(sha1(problem.raw));
      // A broken entry whose UID can be read holds that item: it keeps the item's href, so
      // the item is not taken for deleted.
      const uid = readableUid(problem.raw);
      const byUid = uid !== undefined && !entries.has(asHref(`uid:${uid}`)) ? asHref(`uid:${uid}`) : undefined;
      const href = byUid ?? allocateHref(`broken:${etag.slice(0, 16)}`, (h) => entries.has(h));
      entries.set(href, { kind: 'broken', seq: this.nextSeq++, etag, problem, ...(uid ? { uid } : {}) });
    }
    this.loaded = { file, entries, ...(spanned ? { decodeSpan: spanned.decodeSpan } : {}) };
    return this.loaded;
  }

  private encode(file: FileCodec<T>, items: T[]): string {
    return this.encodeEntry(() => file.encode(items));
  }

  private encodeEntry(encode: () => string): string {
    try {
      return encode();
    } catch (e) {
      throw new PimError('invalid-data', `cannot encode ${this.opts.path}: ${messageOf(e)}`, { where: this.opts.path, cause: e });
    }
  }

  /**
   * The item as the file will give it back (encoded and decoded once), so the etag and
   * href returned by a write are those the next read sees, even for formats that hold
   * less than the item (CSV keeps no UID).
   */
  private normalise(item: Item): T {
    const kind = this.kind === 'contacts' ? 'contact' : 'calendar';
    if (item.kind !== kind) throw new PimError('invalid-data', `${this.opts.path} holds ${this.kind}, not a ${item.kind} item`, { where: this.opts.path });
    const typed = item as T;
    const { file } = this.load();
    const back = this.opts.format.decode(new TextEncoder().encode(this.encode(file, [typed])));
    return back.problems.length === 0 && back.items.length === 1 ? back.items[0] : structuredClone(typed);
  }
}

/** Whether a file holds more than white space (an empty file is an empty source, not an unreadable one). */
function hasContent(bytes: Uint8Array | undefined): boolean {
  if (!bytes) return false;
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return true;
  return false;
}
