#!/usr/bin/env node
// Writes the vCard fixtures in fixtures/contacts/ (the files are committed; run this only
// to regenerate them). Binary and non-UTF-8 fixtures need bytes, hence a script.
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';

const dir = new URL('../fixtures/contacts/', import.meta.url);
const crlf = (lines) => lines.join('\r\n') + '\r\n';
const write = (name, data) => writeFileSync(new URL(name, dir), data);

/**
 * A small real baseline JPEG: 8×8 grey, one Huffman code for DC category 0 and one for
 * end-of-block, plus a JFIF header and a comment. 16 bytes of scan data, valid for any decoder.
 */
function tinyJpeg() {
  const seg = (marker, body) => [0xff, marker, ((body.length + 2) >> 8) & 0xff, (body.length + 2) & 0xff, ...body];
  const text = (s) => [...Buffer.from(s, 'latin1')];
  const dht = (cls) => [cls, 1, ...new Array(15).fill(0), 0x00];
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xe0, [...text('JFIF'), 0, 1, 1, 0, 0, 72, 0, 72, 0, 0]),
    ...seg(0xfe, text('pimhub test photo: 8x8 grey baseline JPEG, for vCard round trips')),
    ...seg(0xdb, [0x00, ...new Array(64).fill(1)]),
    ...seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...seg(0xc4, dht(0x00)),
    ...seg(0xc4, dht(0x10)),
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x3f,
    0xff, 0xd9,
  ]);
}
const jpeg = tinyJpeg();
write('photo.jpg', jpeg);
const b64 = jpeg.toString('base64');

/** Android's quoted-printable: every byte as =XX, soft breaks keeping lines ≤ 76. */
function qpAll(bytes, prefixLen) {
  const tokens = [...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
  const lines = [];
  let cur = '';
  let room = 76 - prefixLen;
  for (const t of tokens) {
    if (cur.length + t.length + 1 > room) { lines.push(cur + '='); cur = ''; room = 76; }
    cur += t;
  }
  lines.push(cur);
  return lines;
}
const qpLine = (head, text, charset = 'UTF-8') => {
  const bytes = charset === 'UTF-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset);
  const prefix = `${head};CHARSET=${charset};ENCODING=QUOTED-PRINTABLE:`;
  const lines = qpAll(bytes, prefix.length);
  lines[0] = prefix + lines[0];
  return lines;
};
/** Base64 wrapped the way Android does: first chunk after the colon, then lines indented by a space, then a blank line. */
const androidPhoto = (head) => {
  const lines = [];
  const first = 76 - head.length - 1;
  lines.push(`${head}:${b64.slice(0, first)}`);
  for (let i = first; i < b64.length; i += 74) lines.push(` ${b64.slice(i, i + 74)}`);
  lines.push('');
  return lines;
};
/** RFC folding at 75 octets (ASCII). */
const fold = (line) => {
  const out = [line.slice(0, 75)];
  for (let i = 75; i < line.length; i += 74) out.push(` ${line.slice(i, i + 74)}`);
  return out;
};

export const LONG_NOTE =
  'Kennengelernt auf der Messe in München, Halle 4 – Stand B12.\n' +
  'Möchte ein Angebot für 250 Geräte bis Ende März; Ansprechpartnerin im Einkauf ist Frau Weiß.\n' +
  '会議は毎週木曜日です。';

write('android-2.1.vcf', crlf([
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;',
  'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BCller',
  'TEL;CELL;PREF:+49 170 1234567',
  'TEL;HOME:+49 30 1234567',
  'EMAIL;HOME:joerg.mueller@example.de',
  ...qpLine('X-ANDROID-CUSTOM', 'vnd.android.cursor.item/nickname;Jö;1;;;;;;;;;;;;;'),
  ...androidPhoto('PHOTO;ENCODING=BASE64;JPEG'),
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0;=E5=A4=AA=E9=83=8E;;;',
  'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0=E5=A4=AA=E9=83=8E',
  'X-PHONETIC-FIRST-NAME:Taro',
  'X-PHONETIC-LAST-NAME:Yamada',
  'TEL;WORK:+81 3 1234 5678',
  'ORG:Yamada Shoji',
  ...qpLine('NOTE', LONG_NOTE.replace(/\n/g, '\r\n')),
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Fran=E7ois;Ren=E9e;;;',
  'FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Ren=E9e Fran=E7ois',
  'TEL;CELL:0171 555 0199',
  'ADR;WORK;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:;;Stra=DFe des 17. Juni 1, Hinterhaus;Berlin;;10623;Deutschland',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  ...qpLine('N', '鈴木;一郎;;;', 'Shift_JIS'),
  ...qpLine('FN', '鈴木一郎', 'Shift_JIS'),
  'TEL;CELL:090-1234-5678',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N:Doe;Jane;;;',
  'FN:Jane Doe',
  'TEL;WORK;VOICE:+1 555 0100',
  'EMAIL;INTERNET;PREF:jane@example.com',
  'ADR;WORK:;;1 Main St;Springfield;;12345;USA',
  'BDAY:1975-06-01',
  'URL:http://example.com/jane',
  'TITLE:Manager, Sales',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Janie;1;;;;;;;;;;;;;',
  'END:VCARD',
]));

write('iphone-3.0.vcf', crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//iPhone OS 17.0//EN',
  'N:Müller;Jörg;;;',
  'FN:Jörg Müller',
  'ORG:Beispiel GmbH;Entwicklung;',
  'item1.EMAIL;type=INTERNET;type=pref:joerg.mueller@example.de',
  'item1.X-ABLabel:_$!<Other>!$_',
  'TEL;type=CELL;type=VOICE;type=pref:+49 170 1234567',
  'item2.TEL:+49 30 9876543',
  'item2.X-ABLabel:Assistant',
  'item3.ADR;type=HOME;type=pref:;;Hauptstr. 1;Berlin;;10115;Germany',
  'item3.X-ABADR:de',
  'NOTE:Met at the conference\\, Berlin 2023.\\nLikes coffee\\; no sugar.',
  'BDAY;VALUE=date:1980-02-29',
  ...fold(`PHOTO;ENCODING=b;TYPE=JPEG:${b64}`),
  'X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//iPhone OS 17.0//EN',
  'N:Appleseed;Johnny;;;',
  'FN:Johnny Appleseed',
  'NICKNAME:Johnny,Appleseed',
  'item1.URL;type=pref:http://www.apple.com',
  'item1.X-ABLabel:_$!<HomePage>!$_',
  'item2.X-ABRELATEDNAMES;type=pref:Anna Appleseed',
  'item2.X-ABLabel:_$!<Spouse>!$_',
  'IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:johnny.appleseed',
  'X-SOCIALPROFILE;type=twitter:http://twitter.com/johnny',
  'CATEGORIES:Friends,Work',
  'BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=date:1604-11-22',
  'UID:4B2C6E2A-8E5B-4C57-9D3A-1F0E2D3C4B5A',
  'END:VCARD',
]));

write('nextcloud-4.0.vcf', crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'PRODID:-//Sabre//Sabre VObject 4.5.4//EN',
  'UID:7d8a2b4e-5c6f-4a1b-9e0d-3c2b1a0f9e8d',
  'KIND:individual',
  'FN:Jörg Müller',
  'N:Müller;Jörg;;;',
  'EMAIL;PREF=1:joerg.mueller@example.de',
  'EMAIL;TYPE=work:jm@beispiel.example',
  'TEL;TYPE="cell,voice";VALUE=uri:tel:+49-170-1234567',
  'TEL;TYPE=home:+49 30 1234567',
  ...fold(`PHOTO:data:image/jpeg;base64,${b64}`),
  'X-MOZILLA-HTML:TRUE',
  'RELATED;TYPE=spouse:urn:uuid:0b7e3a1c-1111-4c2d-8e9f-000000000002',
  'ANNIVERSARY:20050618',
  'BDAY:19800229',
  'GENDER:M',
  'LANG;PREF=1:de',
  'GEO:geo:52.5200,13.4050',
  'TZ:Europe/Berlin',
  'REV:20240102T101500Z',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:4.0',
  'PRODID:-//Thunderbird//CardBook//EN',
  'UID:0b7e3a1c-1111-4c2d-8e9f-000000000002',
  'FN:Anna Schmidt',
  'N:Schmidt;Anna;Maria;Dr.;',
  'ADR;TYPE=work;LABEL="Marktplatz 5\\n04109 Leipzig":;;Marktplatz 5;Leipzig;;04109;Deutschland',
  'NOTE:Zeile eins\\nZeile zwei\\, mit Komma',
  'CATEGORIES:Familie,Verein',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:4.0',
  'UID:urn:uuid:5f2c1a00-aaaa-4bbb-8ccc-0123456789ab',
  'KIND:group',
  'FN:Buchclub',
  'MEMBER:urn:uuid:7d8a2b4e-5c6f-4a1b-9e0d-3c2b1a0f9e8d',
  'MEMBER:urn:uuid:0b7e3a1c-1111-4c2d-8e9f-000000000002',
  'END:VCARD',
]));

const good = (n) => ['BEGIN:VCARD', 'VERSION:3.0', `N:Good;Card${n};;;`, `FN:Card${n} Good`, `EMAIL:card${n}@example.org`, 'END:VCARD'];

write('broken-truncated.vcf', crlf([
  ...good(1),
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Truncated;Tom;;;',
  'FN:Tom Truncated',
  'TEL:+49 170 0000000',
  ...good(2),
  ...good(3),
]));

// Latin-1 bytes without any CHARSET (an old desktop export).
write('broken-charset.vcf', Buffer.concat([
  Buffer.from(crlf(good(1)), 'utf8'),
  iconv.encode(crlf(['BEGIN:VCARD', 'VERSION:3.0', 'N:Müller;Jürgen;;;', 'FN:Jürgen Müller', 'NOTE:Straße 5 – Grüße', 'END:VCARD']), 'windows-1252'),
]));

// Binary bytes: deterministic pseudo-random, with NULs and a JPEG header in front.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
write('broken-garbage.vcf', Buffer.concat([jpeg.subarray(0, 20), Buffer.from(Array.from({ length: 400 }, rnd)), Buffer.from([0, 0, 0])]));

write('broken-bad-line.vcf', crlf([
  ...good(1),
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Broken;Bea;;;',
  'FN:Bea Broken',
  'TEL;TYPE="cell:+49 170 1111111',
  'EMAIL:bea@example.org',
  'END:VCARD',
  ...good(2),
]));
