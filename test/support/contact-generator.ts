/**
 * Deterministic, realistic contacts for crash tests and benchmarks: the same seed gives the
 * same cards. Names with non-ASCII letters, several emails and phones with TYPE, addresses,
 * organisations, birthdays, notes, X- properties and, now and then, a small photo.
 */

const GIVEN = ['Jörg', 'Anna', 'Élodie', 'Yuki', 'Søren', 'María', 'Łukasz', 'Zoë', 'Ahmet', 'Chloé', 'Björn', 'Ines', 'Dmitri', 'Siobhán', 'Kenji', 'Ana'];
const FAMILY = ['Müller', 'Schmidt', 'Dubois', 'Tanaka', 'Nørgaard', 'García', 'Wójcik', 'Smith', 'Yılmaz', 'Lefèvre', 'Åberg', 'Costa', 'Ivanov', "O'Brien", '山田', 'Nguyễn'];
const CITIES = [['Berlin', '10115', 'Deutschland'], ['Paris', '75001', 'France'], ['Kraków', '30-001', 'Polska'], ['Århus', '8000', 'Danmark'], ['東京', '100-0001', '日本']];
const ORGS = ['Beispiel GmbH', 'ACME Corp.', 'Société Générale d\'Exemple', 'Stadtwerke Süd', ''];

/** Mulberry32: small, fast and deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedContact {
  uid: string;
  fn: string;
  vcard: string;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'x';

export function generateContacts(n: number, seed = 42): GeneratedContact[] {
  const r = rng(seed);
  const out: GeneratedContact[] = [];
  for (let i = 0; i < n; i++) {
    const given = pick(r, GIVEN);
    const family = pick(r, FAMILY);
    const uid = `gen-${seed}-${String(i).padStart(6, '0')}@pimhub.test`;
    const fn = `${given} ${family} ${i}`;
    const [city, code, country] = pick(r, CITIES);
    const org = pick(r, ORGS);
    const lines = [
      'BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `N:${family};${given};;;`, `FN:${fn}`,
      `EMAIL;TYPE=INTERNET,HOME:${ascii(given)}.${ascii(family)}${i}@example.org`,
      `TEL;TYPE=CELL:+49 1${50 + Math.floor(r() * 30)} ${String(1000000 + i).slice(-7)}`,
    ];
    if (r() < 0.6) lines.push(`EMAIL;TYPE=INTERNET,WORK:${ascii(family)}${i}@work.example`);
    if (r() < 0.5) lines.push(`TEL;TYPE=WORK,VOICE:+49 30 ${String(2000000 + i).slice(-7)}`);
    if (r() < 0.7) lines.push(`ADR;TYPE=HOME:;;Hauptstraße ${1 + Math.floor(r() * 200)};${city};;${code};${country}`);
    if (org) lines.push(`ORG:${org.replace(/;/g, '\\;')}`, `TITLE:${pick(r, ['Einkauf', 'Vertrieb', 'Entwicklung', 'Direction'])}`);
    if (r() < 0.5) lines.push(`BDAY:${1950 + Math.floor(r() * 50)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`);
    if (r() < 0.3) lines.push(`NOTE:Notiz ${i}: trifft sich gern zum Kaffee\\, meist dienstags.`);
    if (r() < 0.3) lines.push(`X-SOCIALPROFILE;TYPE=mastodon:https://social.example/@${ascii(given)}${i}`);
    if (r() < 0.05) lines.push(`PHOTO;ENCODING=b;TYPE=JPEG:${photo(r)}`);
    lines.push('END:VCARD');
    out.push({ uid, fn, vcard: `${lines.join('\r\n')}\r\n` });
  }
  return out;
}

function photo(r: () => number): string {
  const bytes = Buffer.alloc(2048);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  return bytes.toString('base64');
}
