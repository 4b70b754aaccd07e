import { nameTokens } from './names.js';

/**
 * Nicknames and short forms of common given names, folded to one canonical token so that
 * `Bill Gates` and `William Gates`, `Sepp Huber` and `Josef Huber` get the same name key.
 * Tokens are in the form {@link nameTokens} gives them (lower-case, no diacritics, German
 * `ue`/`oe`/`ae` folded). Used only to find duplicate candidates (src/normalize/duplicates.ts),
 * never alone: a nickname fold joins distinct people named `Alex` (Alexander, Alexandra),
 * so a name match is always weighed with the rest of the evidence.
 */
const GROUPS: Record<string, string[]> = {
  // English
  william: ['bill', 'billy', 'will', 'willy', 'liam'],
  robert: ['bob', 'bobby', 'rob', 'robbie', 'bert'],
  richard: ['rick', 'ricky', 'dick', 'rich', 'richie'],
  james: ['jim', 'jimmy', 'jamie'],
  john: ['johnny', 'jack', 'jon'],
  joseph: ['joe', 'joey'],
  michael: ['mike', 'mikey', 'mick', 'mickey'],
  thomas: ['tom', 'tommy'],
  charles: ['charlie', 'chuck'],
  edward: ['ed', 'eddie', 'ted', 'ned'],
  anthony: ['tony'],
  daniel: ['dan', 'danny'],
  david: ['dave', 'davy'],
  christopher: ['chris', 'kit'],
  matthew: ['matt'],
  nicholas: ['nick', 'nicky'],
  steven: ['steve', 'stephen'],
  benjamin: ['ben', 'benny'],
  samuel: ['sam', 'sammy'],
  alexander: ['alex', 'alec', 'sasha', 'sascha'],
  andrew: ['andy', 'drew'],
  patrick: ['pat', 'paddy'],
  peter: ['pete'],
  timothy: ['tim', 'timmy'],
  jonathan: ['jonny'],
  elizabeth: ['liz', 'lizzy', 'beth', 'betty', 'eliza', 'elisabeth'],
  margaret: ['maggie', 'meg', 'peggy'],
  katherine: ['kate', 'katie', 'kathy', 'catherine', 'kathryn', 'cathy'],
  jennifer: ['jen', 'jenny'],
  rebecca: ['becky', 'becca'],
  susan: ['sue', 'susie', 'suzanne'],
  deborah: ['debbie', 'deb'],
  patricia: ['patty', 'trish'],
  victoria: ['vicky', 'tori'],
  // German
  johannes: ['hans', 'hannes', 'jo'],
  josef: ['sepp', 'beppo', 'joseph'],
  wolfgang: ['wolf'],
  friedrich: ['fritz'],
  heinrich: ['heinz', 'heiner'],
  matthias: ['matze', 'hias'],
  maximilian: ['max'],
  andreas: ['andi', 'anderl'],
  katharina: ['kathi', 'katrin', 'trine'],
  susanne: ['susi', 'sanne'],
  christine: ['christina', 'tina', 'stine'],
  // Romance
  francesco: ['franco', 'cesco'],
  giuseppe: ['beppe', 'peppe', 'pino'],
  francisco: ['paco', 'pancho', 'curro'],
  jose: ['pepe'],
  manuel: ['manolo', 'manu'],
};

/** The table in token form (`michael` → `michal`, `samuel` → `samul`: the same fold as every name). */
const CANONICAL = new Map<string, string>();
for (const [name, forms] of Object.entries(GROUPS)) {
  const canon = nameTokens(name).join(' ');
  CANONICAL.set(canon, canon);
  for (const f of forms) {
    const t = nameTokens(f).join(' ');
    if (!CANONICAL.has(t)) CANONICAL.set(t, canon);
  }
}

/** The canonical form of one given-name token (`bill` → `william`); other tokens unchanged. */
export function canonicalGivenName(token: string): string {
  return CANONICAL.get(token) ?? token;
}
