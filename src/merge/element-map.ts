import type { Property } from '../model/property.js';

/** Past this many elements a field gets a hash index (a group card's MEMBERs, a long CATEGORIES). */
const LINEAR_LIMIT = 8;

/**
 * The elements of one field by key, in insertion order, with the semantics of a `Map` for
 * what the merge uses. A field usually holds one to three elements, and a merge builds
 * such a map per field on every side: kept as two short arrays searched in turn, it costs a
 * fraction of a `Map`'s allocation (the hash table a `Map` starts with was a third of the
 * bytes a merge allocated). Keys from the memoised keyers are often the same string object
 * on every side, so most comparisons end at the pointer.
 */
export class ElementMap {
  private readonly keyList: string[];
  private readonly valueList: Property[][];
  private index: Map<string, number> | undefined = undefined;

  /** Most maps are made for their first element: arrays of exactly one, not pushed into empty ones (which reserve 17 slots). */
  constructor(key?: string, value?: Property[]) {
    if (key === undefined || value === undefined) {
      this.keyList = [];
      this.valueList = [];
    } else {
      this.keyList = [key];
      this.valueList = [value];
    }
  }

  get size(): number {
    return this.keyList.length;
  }

  /** Keys in insertion order (read-only: the map's own list). */
  keys(): readonly string[] {
    return this.keyList;
  }

  /** Values in insertion order (read-only: the map's own list). */
  values(): readonly Property[][] {
    return this.valueList;
  }

  private find(key: string): number {
    if (this.index) return this.index.get(key) ?? -1;
    const keys = this.keyList;
    for (let i = 0; i < keys.length; i += 1) if (keys[i] === key) return i;
    return -1;
  }

  get(key: string): Property[] | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.valueList[i];
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  /** Sets the value; a new key goes last, an existing one keeps its place (as `Map.set`). */
  set(key: string, value: Property[]): this {
    const i = this.find(key);
    if (i >= 0) {
      this.valueList[i] = value;
      return this;
    }
    this.keyList.push(key);
    this.valueList.push(value);
    if (this.index) this.index.set(key, this.keyList.length - 1);
    else if (this.keyList.length > LINEAR_LIMIT) this.index = new Map(this.keyList.map((k, at) => [k, at] as const));
    return this;
  }

  delete(key: string): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    this.keyList.splice(i, 1);
    this.valueList.splice(i, 1);
    if (this.index) this.index = new Map(this.keyList.map((k, at) => [k, at] as const));
    return true;
  }
}
