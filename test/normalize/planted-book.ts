/**
 * A generated address book (vCard 3.0 text, as a phone or Apple Contacts exports it) with
 * planted duplicates and hard negatives, for measuring duplicate detection. Deterministic
 * for a seed. Truth is the set of UID pairs that are one person.
 *
 * Hard negatives: people who share a name by chance (each with their own email and phone),
 * households sharing a landline or one family email address (same surname, other given
 * name), colleagues sharing a company switchboard number.
 */
const GIVEN = [
  'William', 'Robert', 'Richard', 'James', 'Michael', 'Thomas', 'Elizabeth', 'Katherine', 'Margaret', 'Jennifer',
  'Jörg', 'Jürgen', 'Günther', 'Sören', 'Bärbel', 'Hannelore', 'Johannes', 'Josef', 'Friedrich', 'Heinrich',
  'François', 'Amélie', 'Hélène', 'José', 'María', 'Inés', 'Ramón', 'Zoë', 'Åsa', 'Øystein', 'Anna', 'Lukas',
  'Sophie', 'Emma', 'Noah', 'Paul', 'Clara', 'Felix', 'Lena', 'Jonas', 'Laura', 'David', 'Sarah', 'Daniel',
  'Christopher', 'Alexander', 'Andrew', 'Susan', 'Patricia', 'Nicholas', 'Giuseppe', 'Francesco', 'Chiara', 'Matteo',
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Freya', 'Ella', 'Lily', 'Harper', 'Oliver', 'George', 'Arthur',
  'Leo', 'Oscar', 'Theo', 'Henry', 'Finn', 'Elias', 'Emil', 'Anton', 'Moritz', 'Greta', 'Frieda', 'Ida', 'Mathilda',
  'Luisa', 'Marie', 'Hanna', 'Nele', 'Ole', 'Jannik', 'Malte', 'Lucía', 'Martina', 'Sofía', 'Valentina', 'Hugo',
  'Mateo', 'Álvaro', 'Lorenzo', 'Giulia', 'Aurora', 'Léa', 'Chloé', 'Inès', 'Louis', 'Gabriel', 'Raphaël', 'Jules',
  'Aiko', 'Yuki', 'Haruto', 'Minjun', 'Seoyeon', 'Linh', 'Minh', 'Chidi', 'Amara', 'Kwame', 'Ngozi', 'Tomasz', 'Zofia',
];
const FAMILY = [
  'Müller', 'Schäfer', 'Köhler', 'Groß', 'Weiß', 'Schröder', 'Krüger', 'Böhm', 'Schmidt', 'Fischer', 'Weber',
  'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'García', 'Fernández',
  'Núñez', 'González', 'Pérez', 'Lefèvre', 'Dubois', 'Moreau', 'Girard', 'Rossi', 'Bianchi', 'Esposito', 'Smith',
  'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Jackson',
  'Dvořák', 'Novák', 'Łukasiewicz', 'Kowalski', 'Nowak', 'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'Larsen',
  'Okafor', 'Mensah', 'Tanaka', 'Suzuki', 'Kim', 'Nguyen', 'Tran', 'Silva', 'Santos', 'Oliveira', 'Costa',
  'Schulz', 'Zimmermann', 'Braun', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier',
  'Lehmann', 'Schmid', 'Schulze', 'Maier', 'Köster', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz', 'Möller',
  'Weiß', 'Jung', 'Hahn', 'Vogel', 'Friedrich', 'Keller', 'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck',
  'Lorenz', 'Baumann', 'Franke', 'Albrecht', 'Ludwig', 'Böttcher', 'Jäger', 'Sommer', 'Graf', 'Brandt', 'Haas',
  'Martin', 'Bernard', 'Petit', 'Durand', 'Leroy', 'Roux', 'Fournier', 'Mercier', 'Blanc', 'Guérin', 'Romano',
  'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Rodríguez', 'López', 'Martínez',
  'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Rivera', 'Gómez', 'Díaz', 'Moore', 'White', 'Harris', 'Clark', 'Lewis',
  'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson',
];
const ORGS = [
  'Beispiel GmbH', 'Acme Corp', 'Nordwind AG', 'Globex', 'Initech', 'Umbrella Ltd', 'Stark Industries', 'Wayne Enterprises',
  'Hooli', 'Vandelay Industries', 'Soylent', 'Cyberdyne', 'Tyrell Corp', 'Wonka', 'Monsters Inc', 'Gringotts',
  'Stadtwerke Bonn', 'Universität Wien', 'Hôpital Saint-Louis', 'Banco Ejemplo', 'Bäckerei Kraus', 'Müller & Söhne KG',
];
const NICK: Record<string, string> = {
  William: 'Bill', Robert: 'Bob', Richard: 'Rick', James: 'Jim', Michael: 'Mike', Thomas: 'Tom', Elizabeth: 'Liz',
  Katherine: 'Kate', Margaret: 'Maggie', Jennifer: 'Jenny', Johannes: 'Hans', Josef: 'Sepp', Friedrich: 'Fritz',
  Heinrich: 'Heinz', Christopher: 'Chris', Alexander: 'Alex', Andrew: 'Andy', Susan: 'Sue', Patricia: 'Patty',
  Nicholas: 'Nick', Daniel: 'Dan', David: 'Dave', Giuseppe: 'Beppe', Francesco: 'Franco', José: 'Pepe',
};

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  uid: string;
  given: string;
  family: string;
  org?: string;
  email?: string;
  mobile?: string;
  home?: string;
  work?: string;
}

const ascii = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/[øØ]/g, 'o').replace(/[łŁ]/g, 'l').replace(/[åÅ]/g, 'a');
const translit = (s: string) => s.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue');

/** `n` undefined: N left empty, as exports that keep only a display name write it. */
function card(p: Person, fn: string, n: [string, string] | undefined, extra: string[] = []): string {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `UID:${p.uid}`, `FN:${fn}`, n ? `N:${n[0]};${n[1]};;;` : 'N:;;;;'];
  if (p.org) lines.push(`ORG:${p.org}`);
  if (p.email) lines.push(`EMAIL;TYPE=INTERNET,HOME:${p.email}`);
  if (p.mobile) lines.push(`TEL;TYPE=CELL:${p.mobile}`);
  if (p.home) lines.push(`TEL;TYPE=HOME:${p.home}`);
  if (p.work) lines.push(`TEL;TYPE=WORK:${p.work}`);
  return [...lines, ...extra, 'END:VCARD'].join('\r\n');
}

/** The same German number as other devices and exports write it. */
function reformat(e164: string, variant: number): string {
  const digits = e164.replace(/[^0-9]/g, '').slice(2); // without the country code 49
  const area = digits.slice(0, 3);
  const rest = digits.slice(3);
  switch (variant % 6) {
    case 0: return `0${area} ${rest}`;
    case 1: return `0${area}/${rest}`;
    case 2: return `(0${area}) ${rest.slice(0, 3)} ${rest.slice(3)}`;
    case 3: return `+49 (0)${area} ${rest}`;
    case 4: return `0049${area}${rest}`;
    default: return `+49-${area}-${rest}`;
  }
}

export interface PlantedBook {
  vcf: string;
  /** `uidA\nuidB` (sorted) for every pair of cards that are one person. */
  truth: Set<string>;
  cards: number;
}

export function plantedBook(persons: number, seed = 42): PlantedBook {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const switchboards = new Map(ORGS.map((o) => [o, `+49 30 ${digits(4)}-0`] as const));
  const cards: string[] = [];
  const truth = new Set<string>();
  const pair = (a: string, b: string) => truth.add(a < b ? `${a}\n${b}` : `${b}\n${a}`);
  let next = 0;
  const uid = () => `planted-${(next++).toString().padStart(6, '0')}`;

  for (let i = 0; i < persons; i++) {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const p: Person = { uid: uid(), given, family };
    if (r() < 0.7) p.org = pick(ORGS);
    if (r() < 0.95) p.email = `${ascii(given).toLowerCase()}.${ascii(family).toLowerCase()}${Math.floor(r() * 1000)}@${pick(['gmail.com', 'web.de', 'posteo.de', 'outlook.com', 'example.org'])}`;
    if (r() < 0.9) p.mobile = `+49 15${digits(1)} ${digits(7)}`;
    if (p.org && r() < 0.2) p.work = switchboards.get(p.org);
    const own = cards.push(card(p, `${given} ${family}`, [family, given])) - 1;
    // A household: another person with the same surname and landline.
    if (r() < 0.05) {
      const home = `+49 ${digits(3)} ${digits(6)}`;
      p.home = home;
      cards[own] = card(p, `${given} ${family}`, [family, given]);
      const other = pick(GIVEN.filter((g) => g[0] !== given[0]));
      cards.push(card({ uid: uid(), given: other, family, home, email: `${ascii(other).toLowerCase()}${digits(3)}@web.de` }, `${other} ${family}`, [family, other]));
    }
    // A family sharing one email address: each member's card carries it, with their own mobile.
    if (r() < 0.04) {
      const familyMail = `${pick(['familie.', 'fam.', 'the', ''])}${ascii(translit(family)).toLowerCase().replace(/ /g, '')}${pick(['', 's', digits(2)])}@${pick(['web.de', 'gmx.de', 'gmail.com'])}`;
      p.email = familyMail;
      cards[own] = card(p, `${given} ${family}`, [family, given]);
      const other = pick(GIVEN.filter((g) => g[0] !== given[0]));
      cards.push(card({ uid: uid(), given: other, family, email: familyMail, mobile: r() < 0.7 ? `+49 15${digits(1)} ${digits(7)}` : undefined }, `${other} ${family}`, [family, other]));
    }
    // Planted duplicates of this person, as another account or device holds them.
    const copies = r() < 0.15 ? (r() < 0.2 ? 2 : 1) : 0;
    const ids = [p.uid];
    for (let c = 0; c < copies; c++) {
      const d: Person = { uid: uid(), given, family };
      const national = p.mobile ? reformat(p.mobile, Math.floor(r() * 6)) : undefined;
      const v = Math.floor(r() * 9);
      let fn = `${given} ${family}`;
      let n: [string, string] | undefined = [family, given];
      switch (v) {
        case 0: fn = `${family}, ${given}`; if (r() < 0.5) n = undefined; d.email = p.email; d.mobile = national; break;
        case 1: fn = `${ascii(translit(given))} ${ascii(translit(family))}`; n = [ascii(translit(family)), ascii(translit(given))]; d.mobile = p.mobile ?? `+49 17${digits(8)}`; d.email = `${digits(6)}@gmx.net`; if (!p.mobile) d.email = p.email; break;
        case 2: { const nick = NICK[given] ?? given; fn = `${nick} ${family}`; n = [family, nick]; d.email = p.email ?? `${digits(5)}@example.com`; if (!p.email) d.mobile = national; break; }
        case 3: fn = `${given[0]}. ${family}`; n = [family, `${given[0]}.`]; d.mobile = national; if (!p.mobile) d.email = p.email; break;
        case 4: fn = fn.toUpperCase(); n = [family.toUpperCase(), given.toUpperCase()]; d.email = p.email; d.mobile = p.mobile; break;
        case 5: d.org = p.org; break; // a business card: name and organisation only
        case 6: { const k = 1 + Math.floor(r() * (family.length - 2)); const typo = family.slice(0, k) + family.slice(k + 1); fn = `${given} ${typo}`; n = [typo, given]; d.email = p.email; d.mobile = p.email ? undefined : p.mobile; break; }
        case 7: d.mobile = `+49 16${digits(8)}`; break; // only the name in common, contact data disagrees: hard to find
        default: fn = `${given} ${family}`; d.email = p.email?.toUpperCase(); d.mobile = p.mobile ? `0049${p.mobile.slice(3).replace(/ /g, '')}` : undefined; break;
      }
      cards.push(card(d, fn, n));
      for (const other of ids) pair(other, d.uid);
      ids.push(d.uid);
    }
  }
  return { vcf: `${cards.join('\r\n')}\r\n`, truth, cards: cards.length };
}
