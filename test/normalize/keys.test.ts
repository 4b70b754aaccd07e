import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prop, type Component } from '../../src/model/property.js';
import { valueKey, identityKeys } from '../../src/normalize/keys.js';

test('every key kind', () => {
  assert.equal(valueKey('email', prop('email', 'text', ['J.Smith@Example.COM '])), 'j.smith@example.com');
  assert.equal(
    valueKey('phone', prop('tel', 'text', ['0171 1234567']), { defaultRegion: 'DE' }),
    valueKey('phone', prop('tel', 'uri', ['tel:+49-171-1234567'])),
  );
  assert.equal(valueKey('text-ci', prop('categories', 'text', ['  Best   FRIENDS'])), 'best friends');
  assert.equal(
    valueKey('adr', prop('adr', 'text', [['', '', 'Hauptstraße 5', 'Berlin', '', '10115', 'Germany']])),
    valueKey('adr', prop('adr', 'text', [['', '', 'HAUPTSTRASSE 5', 'berlin', '', '10115', 'GERMANY']])),
  );
  assert.equal(valueKey('uri', prop('url', 'uri', [' HTTPS://Example.ORG/Path '])), 'https://example.org/Path');
  assert.equal(valueKey('uri', prop('impp', 'uri', ['XMPP:jorg@jabber.de'])), 'xmpp:jorg@jabber.de');
  assert.equal(valueKey('value', prop('key', 'uri', ['data:a'])), '["data:a"]');
  assert.equal(valueKey('date', prop('exdate', 'date', ['1985-04-12'])), '19850412');
  assert.equal(valueKey('date', prop('bday', 'date', ['--04-12'])), '--0412');
  assert.equal(valueKey('date', prop('exdate', 'date-time', ['2024-01-02T10:00:00Z'])), '20240102100000Z');
});

test('ADR keys differ on any component', () => {
  const a = valueKey('adr', prop('adr', 'text', [['', '', '1 Main St', 'Springfield', 'IL', '62701', 'USA']]));
  const b = valueKey('adr', prop('adr', 'text', [['', '', '1 Main St', 'Springfield', 'MA', '01101', 'USA']]));
  assert.notEqual(a, b);
});

test('identity keys of a card', () => {
  const card: Component = {
    name: 'vcard',
    components: [],
    props: [
      prop('fn', 'text', ['Jörg Müller']),
      prop('n', 'text', [['Müller', 'Jörg', '', '', '']]),
      prop('email', 'text', ['Joerg@Example.DE'], { type: ['work'] }),
      prop('email', 'text', ['joerg@example.de']),
      prop('email', 'text', ['j.mueller@gmx.de']),
      prop('tel', 'text', ['0171 1234567'], { type: ['cell'] }),
      prop('tel', 'text', ['+49 30 1234567'], { type: ['work'] }),
    ],
  };
  assert.deepEqual(identityKeys(card, { defaultRegion: 'DE' }), {
    emails: ['j.mueller@gmx.de', 'joerg@example.de'],
    phones: ['+491711234567', '+49301234567'],
    name: 'jorg muller',
  });
  const noFn: Component = { name: 'vcard', components: [], props: [prop('n', 'text', [['Dubois', 'Claire', '', 'Mme', '']])] };
  assert.equal(identityKeys(noFn).name, 'claire dubois mme');
});
