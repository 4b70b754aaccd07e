/**
 * Deterministic test data for the benchmarks (shared/BENCHMARKS.md "Data"): the same seed
 * gives the same N contacts, byte for byte, so every tool gets the same files.
 */

/** mulberry32: a small seeded PRNG, good enough for test data. */
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

const GIVEN = ['Jürgen', 'Zoë', 'Łukasz', 'Søren', 'Amélie', 'José', 'Ærin', 'Chloé', 'Hana', 'Ömer', 'Ana', 'Björn', 'Dagný', 'Émile', 'Fatima', 'Grete', 'Ingrid', 'Kenji', 'Laila', 'Mateo'];
const FAMILY = ['Müller', 'Ødegård', 'Kowalski', 'García', 'Nguyễn', 'Dubois', 'Schröder', 'Sørensen', 'Yılmaz', 'Tanaka', 'Novák', 'Fernández', 'Åberg', 'Öztürk', 'Łęcki', 'Brontë'];
const CITIES = [['Berlin', '10115', 'Germany'], ['München', '80331', 'Germany'], ['Kraków', '30-001', 'Poland'], ['Århus', '8000', 'Denmark'], ['Zürich', '8001', 'Switzerland'], ['São Paulo', '01000-000', 'Brazil']];
const ORGS = ['Straßenbau GmbH', 'Café Ümlaut', 'Nordlicht AG', 'Blåbær AS', 'Éclair SARL', 'Example Corp'];

/** A few KB of base64, as a contact photo would be. */
function photo(r: () => number): string {
  const bytes = Buffer.alloc(2048 + Math.floor(r() * 2048));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(r() * 256);
  return bytes.toString('base64');
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\n/g, '\\n');

/** Folds a content line at 75 octets (RFC 6350 §3.2). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end -= 1;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ');
}

/** One vCard 3.0 with realistic fields; `i` numbers it, the PRNG varies it. */
export function contact(i: number, r: () => number): { uid: string; text: string } {
  const given = pick(r, GIVEN);
  const family = pick(r, FAMILY);
  const uid = `bench-${String(i).padStart(6, '0')}@pimhub.example`;
  const [city, zip, country] = pick(r, CITIES);
  const lines = [
    'BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${escape(`${given} ${family}`)}`, `N:${escape(family)};${escape(given)};;;`,
    `EMAIL;TYPE=INTERNET,HOME:${given.normalize('NFD').replace(/[^\x20-\x7e]/g, '').toLowerCase()}.${i}@example.org`,
  ];
  if (r() < 0.6) lines.push(`EMAIL;TYPE=INTERNET,WORK:${i}@work.example.com`);
  lines.push(`TEL;TYPE=CELL:+49 151 ${String(10000000 + Math.floor(r() * 89999999))}`);
  if (r() < 0.5) lines.push(`TEL;TYPE=HOME:+49 30 ${String(1000000 + Math.floor(r() * 8999999))}`);
  if (r() < 0.7) lines.push(`ADR;TYPE=HOME:;;${escape(`${pick(r, ['Hauptstraße', 'Rue de la Paix', 'Ulica Długa', 'Østergade'])} ${1 + Math.floor(r() * 200)}`)};${escape(city!)};;${zip};${escape(country!)}`);
  if (r() < 0.5) lines.push(`ORG:${escape(pick(r, ORGS))}`, `TITLE:${pick(r, ['Ingenieurin', 'Manager', 'Développeur', 'Consultant'])}`);
  if (r() < 0.4) lines.push(`BDAY:${1950 + Math.floor(r() * 55)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`);
  if (r() < 0.3) lines.push(`NOTE:${escape(`Met at the conference in ${city}; likes Kaffee & Kuchen — contact #${i}.`)}`);
  if (r() < 0.3) lines.push(`item1.URL:https://example.org/~${i}`, 'item1.X-ABLABEL:Homepage');
  if (r() < 0.2) lines.push(`X-PIMHUB-BENCH:${Math.floor(r() * 1e6)}`);
  if (r() < 0.05) lines.push(`PHOTO;ENCODING=b;TYPE=JPEG:${photo(r)}`);
  lines.push('END:VCARD');
  return { uid, text: `${lines.map(fold).join('\r\n')}\r\n` };
}

/** N contacts as one .vcf text (the bulk upload to Radicale) and one by one. */
export function contacts(n: number, seed = 42): Array<{ uid: string; text: string }> {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => contact(i, r));
}
