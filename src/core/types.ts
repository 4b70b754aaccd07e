/** Branded identifiers: a UID is not an href is not an ETag. */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Uid = Brand<string, 'Uid'>;
export type Href = Brand<string, 'Href'>;
export type Etag = Brand<string, 'Etag'>;

export const asHref = (s: string): Href => s as Href;
export const asEtag = (s: string): Etag => s as Etag;

/** What kind of data a collection holds. */
export type CollectionKind = 'contacts' | 'calendar';
