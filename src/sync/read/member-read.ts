import type { FetchedItem, FetchProblem, ListedEntry, Source } from '../../core/connector.js';
import type { Etag, Href } from '../../core/types.js';
import type { LinkHead } from '../decide/context.js';

/** What the read step found at one member: what to fetch, what is gone, and the token to store. */
export interface MemberRead {
  member: string;
  source: Source;
  /** Entries to fetch: changed since the member's links say. */
  changed: ListedEntry[];
  /** Links whose entry is no longer at the source; complete once `batches` has been read to the end. */
  gone: LinkHead[];
  /**
   * Entries this run fetched and merged and then found gone before its token was taken (a
   * first sync whose listing and token came from two answers, see `readFirst`). Their
   * deletion undoes what this run itself added, so it is not counted by the delete guard.
   */
  vanished: ReadonlySet<Href>;
  /** Entries that could not be decoded; complete once `batches` has been read to the end. */
  problems: FetchProblem[];
  /** Token to store once this read is fully merged; known once `batches` has been read to the end. */
  readonly token?: string;
  /** Whether an href is (still) at the source, as far as this read can tell. */
  present(href: Href): boolean;
  /** The etag the listing gave an href; undefined when not listed (or this read was a delta). */
  listedEtag(href: Href): Etag | undefined;
  /**
   * Whether the member holds entries that could not be read and whose item cannot be told
   * (no readable UID, no link at that href). Such an entry may be any item that seems gone,
   * so no entry gone from this member counts as deleted in this run (SPEC §4). Known once
   * `batches` has been read to the end.
   */
  blind(): boolean;
  /** The changed entries, fetched and decoded a batch at a time: memory stays bounded by the batch. */
  batches(onProgress?: (done: number, total: number) => void): AsyncGenerator<FetchedItem[]>;
}
