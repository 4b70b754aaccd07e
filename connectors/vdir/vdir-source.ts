import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { FetchResult, ListedEntry, WritableSource, WriteResult } from '../../src/core/connector.js';
import { PimError } from '../../src/core/errors.js';
import { asHref, type CollectionKind, type Etag, type Href } from '../../src/core/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';
import { createFileExclusive, isTempName, removeStaleTemps, writeFileAtomic } from '../shared/atomic-file.js';
import { errnoOf, fsCall, fsError } from '../shared/fs-errors.js';
import { mtimeIso, readWithStat } from '../shared/file-snapshot.js';
import { uidOfBroken as uidOf } from '../../src/codecs/readable-uid.js';
import { statEtag } from '../shared/signatures.js';
import { statSignatures } from '../shared/stat-listing.js';
import { fileNameFor } from '../shared/file-names.js';
import type { ItemCodec } from '../shared/item-codec.js';
import { killPoint } from '../../src/core/kill-point.js';

export interface VdirSourceOptions {
  id: string;
  kind: CollectionKind;
  /** Absolute folder path. */
  dir: string;
  codec: ItemCodec;
  /** With its dot (`.vcf`). */
  extension: string;
  /** For messages: the config key of the path (`connectors.desktop.path`). */
  configKey: string;
}

/**
 * A vdir (vdirsyncer's storage format): one item per file; href = file name, etag = the
 * file's stat signature `mtimeNs-size`, so listing reads no file bodies. Writes are
 * compare-then-rename (update), link-if-absent (create) and compare-then-unlink (delete).
 */
export class VdirSource implements WritableSource {
  readonly id: string;
  readonly kind: CollectionKind;
  readonly capabilities: FormatCapabilities;
  /** Many writes at once: their fsyncs are shared in rounds (atomic-file.ts), so a large round costs little more than a small one. */
  readonly writeConcurrency = 64;

  constructor(private readonly o: VdirSourceOptions) {
    this.id = o.id;
    this.kind = o.kind;
    this.capabilities = o.codec.capabilities;
  }

  /** A missing folder is an error, never an empty listing: an unmounted drive must not look like mass deletion. */
  async checkFolder(): Promise<void> {
    const st = await fs.stat(this.o.dir).catch((e: unknown) => {
      if (errnoOf(e) === 'ENOENT') {
        throw new PimError('not-found', `folder ${this.o.dir} does not exist; create it or fix ${this.o.configKey}`, { where: this.o.dir, cause: e });
      }
      throw fsError(e, this.o.dir, 'open the folder');
    });
    if (!st.isDirectory()) throw new PimError('io', `${this.o.dir} is not a folder; fix ${this.o.configKey}`, { where: this.o.dir });
  }

  async list(): Promise<ListedEntry[]> {
    await this.checkFolder();
    const dirents = await fsCall(this.o.dir, 'list', () => fs.readdir(this.o.dir, { withFileTypes: true }));
    await removeStaleTemps(this.o.dir, dirents.filter((d) => d.isFile() && isTempName(d.name)).map((d) => d.name));
    const names = dirents
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && d.name.endsWith(this.o.extension) && !isTempName(d.name))
      .map((d) => d.name)
      .sort();
    const etags = await statSignatures(this.o.dir, names, statEtag);
    const out: ListedEntry[] = [];
    for (let i = 0; i < names.length; i += 1) {
      const etag = etags[i];
      if (etag !== undefined) out.push({ href: asHref(names[i]!), etag });
    }
    return out;
  }

  async get(hrefs: readonly Href[]): Promise<FetchResult> {
    const result: FetchResult = { items: [], problems: [] };
    for (const href of hrefs) {
      if (!this.isOwnName(href)) continue;
      const read = await this.read(href);
      if (!read) continue;
      const path = this.pathOf(href);
      const raw = () => Buffer.from(read.bytes).toString('utf8');
      const r = this.o.codec.decode(read.bytes);
      if (r.problems.length > 0) {
        const p = r.problems[0];
        result.problems.push({ href, etag: read.etag, where: `${path}:${p.line}`, message: p.message, raw: raw(), ...uidOf(raw()) });
      } else if (r.items.length !== 1) {
        const message = r.items.length === 0 ? 'the file holds no item' : `the file holds ${r.items.length} items; a vdir holds one per file`;
        result.problems.push({ href, etag: read.etag, where: `${path}:1`, message, raw: raw(), ...uidOf(raw()) });
      } else {
        result.items.push({ href, etag: read.etag, item: r.items[0], modified: read.modified });
      }
    }
    return result;
  }

  async create(item: Item): Promise<WriteResult> {
    if (item.uid === '') throw new PimError('invalid-data', 'an item without UID cannot be created (the engine assigns one)', { where: this.o.dir });
    const text = this.encode(item);
    await this.checkFolder();
    const href = asHref(fileNameFor(item.uid, this.o.extension));
    await createFileExclusive(this.pathOf(href), text);
    killPoint('vdir.created');
    return { href, etag: await this.currentEtag(href) };
  }

  async update(href: Href, etag: Etag, item: Item): Promise<WriteResult> {
    const now = this.isOwnName(href) ? await this.etagOf(href) : undefined;
    if (now === undefined) throw new PimError('precondition-failed', `${this.pathOf(href)} no longer exists`, { where: this.pathOf(href) });
    if (now !== etag) throw this.changed(href, now, etag);
    // The file as it is: what did not change keeps its own lines (a read race costs form only).
    const previous = await fs.readFile(this.pathOf(href), 'utf8').catch(() => undefined);
    const text = this.encode(item, previous);
    await writeFileAtomic(this.pathOf(href), text);
    killPoint('vdir.updated');
    return { href, etag: await this.currentEtag(href) };
  }

  async delete(href: Href, etag: Etag): Promise<void> {
    if (!this.isOwnName(href)) return;
    const now = await this.etagOf(href);
    if (now === undefined) return;
    if (now !== etag) throw this.changed(href, now, etag);
    const path = this.pathOf(href);
    await fs.unlink(path).catch((e: unknown) => {
      if (errnoOf(e) !== 'ENOENT') throw fsError(e, path, 'delete');
    });
    killPoint('vdir.deleted');
  }

  private encode(item: Item, previous?: string): string {
    const text = this.o.codec.encode(item, previous);
    if (text === undefined) throw new PimError('invalid-data', `${this.o.dir} holds ${this.kind}, not a ${item.kind} item`, { where: this.o.dir });
    return text;
  }

  private changed(href: Href, now: Etag, expected: Etag): PimError {
    const path = this.pathOf(href);
    return new PimError('precondition-failed', `${path} changed (etag ${now}, expected ${expected})`, { where: path });
  }

  /** Hrefs are plain file names of this folder; anything else (a path, `..`) is not ours. */
  private isOwnName(href: string): boolean {
    return href !== '' && !href.includes('/') && !href.includes('\\') && href !== '.' && href !== '..';
  }

  private pathOf(href: string): string {
    return join(this.o.dir, href);
  }

  /** The stat signature, or undefined when the file is gone. */
  private async etagOf(name: string): Promise<Etag | undefined> {
    const path = this.pathOf(name);
    try {
      return statEtag(await fs.stat(path, { bigint: true }));
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return undefined;
      throw fsError(e, path, 'stat');
    }
  }

  private async currentEtag(href: Href): Promise<Etag> {
    const etag = await this.etagOf(href);
    if (etag === undefined) throw new PimError('io', `${this.pathOf(href)} vanished right after it was written`, { where: this.pathOf(href) });
    return etag;
  }

  /** Bytes and the etag they were read under. */
  private async read(name: string): Promise<{ bytes: Uint8Array; etag: Etag; modified: string } | undefined> {
    const r = await readWithStat(this.pathOf(name));
    return r && { bytes: r.bytes, etag: statEtag(r.stat), modified: mtimeIso(r.stat) };
  }
}
