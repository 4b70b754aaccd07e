/**
 * Branded identifiers: a UID is not an href is not an ETag. A value is branded once, where
 * it enters: a codec reads a UID, a connector lists an href and its etag, the endpoint
 * parses a request path, a store reads a row. Past that boundary the types carry it.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Uid = Brand<string, 'Uid'>;
export type Href = Brand<string, 'Href'>;
export type Etag = Brand<string, 'Etag'>;

export const asHref = (s: string): Href => s as Href;
export const asEtag = (s: string): Etag => s as Etag;
export const asUid = (s: string): Uid => s as Uid;
/** The UID of an item whose source had none (the engine then gives it one). */
export const NO_UID: Uid = asUid('');

/** What kind of data a collection holds. */
export type CollectionKind = 'contacts' | 'calendar';
