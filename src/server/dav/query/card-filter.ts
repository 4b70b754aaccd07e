/**
 * CARDDAV:filter of an addressbook-query (RFC 6352 §10.5): prop-filters combined by the
 * filter's `test` (anyof by default), each with is-not-defined, text-matches and
 * param-filters combined by its own `test`.
 */
import type { ContactItem } from '../../../model/item.js';
import { paramList, type Property } from '../../../model/property.js';
import { parseTextMatch, valueTexts } from './text-match.js';
import { child, children, NS, type XmlNode } from '../../../xml/dav-xml.js';

type Pred<T> = (x: T) => boolean;

const combine = <T>(test: string | undefined, preds: Array<Pred<T>>, dflt: 'anyof' | 'allof'): Pred<T> =>
  (test ?? dflt) === 'allof' ? (x) => preds.every((p) => p(x)) : (x) => preds.length === 0 || preds.some((p) => p(x));

export function cardFilter(filter: XmlNode | undefined): Pred<ContactItem> {
  if (!filter) return () => true;
  const preds = children(filter, NS.carddav, 'prop-filter').map(propFilter);
  return combine(filter.attrs.test, preds, 'anyof');
}

function propFilter(el: XmlNode): Pred<ContactItem> {
  const name = (el.attrs.name ?? '').toLowerCase();
  const propsOf = (c: ContactItem): Property[] =>
    name === 'version' ? [{ name, params: {}, type: 'text', values: ['3.0'] }] : c.card.props.filter((p) => p.name === name);
  if (child(el, NS.carddav, 'is-not-defined')) return (c) => propsOf(c).length === 0;
  const tests: Array<Pred<Property>> = [
    ...children(el, NS.carddav, 'text-match').map((t) => {
      const m = parseTextMatch(t, NS.carddav);
      return (p: Property) => m(valueTexts(p));
    }),
    ...children(el, NS.carddav, 'param-filter').map(paramFilter),
  ];
  const one = combine(el.attrs.test, tests, 'anyof');
  return (c) => propsOf(c).some((p) => tests.length === 0 || one(p));
}

function paramFilter(el: XmlNode): Pred<Property> {
  const name = (el.attrs.name ?? '').toLowerCase();
  if (child(el, NS.carddav, 'is-not-defined')) return (p) => p.params[name] === undefined;
  const tm = child(el, NS.carddav, 'text-match');
  const m = tm ? parseTextMatch(tm, NS.carddav) : undefined;
  return (p) => p.params[name] !== undefined && (!m || m(paramList(p, name)));
}
