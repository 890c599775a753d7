import type { Report } from './report.ts';

/**
 * The name check of the planning report (issue 7): the export is blocked when the name of a
 * client, participant, partner contact or step owner of ANY local case appears anywhere in the
 * report's text. In practice only gap descriptions are free text, but every string is looked at,
 * so a later column cannot slip through.
 *
 * Matching, and why:
 * - case-insensitive, umlauts folded both ways: "Müller", "MÜLLER" and "Mueller" are one name,
 *   as are "Strauß" and "STRAUSS"; accents are ignored ("José" = "Jose");
 * - whole words only: "Anna" is found in "Anna", "Annas" (genitive s) and "Anna-Lena", but not in
 *   "Annahme" — a name glued into a longer word is rare, a common word containing a short name
 *   is not, and a check that blocks "Annahme" would be switched off in people's heads;
 * - the full name as written, and each part of it with at least 3 letters; titles and particles
 *   ("Frau", "Herr", "von", "K.") are not names on their own;
 * - a step's `who` is free text ("Jonas selbst", "Schuldnerberatung (Herr Wolff)"): from it only
 *   capitalised words count, minus role and institution words, so that "selbst" or
 *   "Schuldnerberatung" cannot block a gap that mentions them.
 */

/** Where a name was found, for the person who has to change it. */
export type NameLocation =
  | { part: 'gap'; case: number; gap: number }
  | { part: 'other'; path: string };

export interface NameFinding {
  where: NameLocation;
  /** The name (or name part) as it was written in the case. */
  name: string;
}

/** Names of one case, by where they come from. */
export interface CaseNames {
  /** Proper names: the client's display name, participants, partner contacts, invitees. */
  people: readonly string[];
  /** Free text that often holds a name: a step's `who`. */
  loose: readonly string[];
  /** Organisation names of the case's partners: never treated as a person's name in `loose`. */
  organisations?: readonly string[];
}

/** Folds case, umlauts, ß and accents so that spellings of one name compare equal. */
export function foldName(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase('de-DE')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Titles, particles and contact words: part of how names are written, not names. */
const NOT_NAMES = new Set(
  [
    'frau', 'herr', 'herrn', 'prof', 'med', 'dipl', 'familie',
    'von', 'vom', 'van', 'der', 'den', 'dem', 'des', 'del', 'della', 'und', 'ten', 'ter', 'bin', 'ibn',
    'tel', 'telefon', 'fax', 'mail', 'mobil', 'handy',
  ].map(foldName),
);

/** Role words that a step's `who` uses instead of a name. */
const ROLE_WORDS = new Set(
  [
    'klient', 'klientin', 'kunde', 'kundin', 'fallmanager', 'fallmanagerin', 'fallmanagement', 'partner', 'partnerin',
    'nachfolge', 'betreuer', 'betreuerin', 'betreuung', 'dolmetscher', 'dolmetscherin', 'selbst', 'alle', 'gemeinsam',
    'mutter', 'vater', 'eltern', 'bruder', 'schwester', 'oma', 'opa', 'tante', 'onkel', 'freundin', 'freund',
    'team', 'jobcenter', 'arbeitgeber', 'berufsschule', 'schule', 'caritas', 'diakonie', 'awo',
  ].map(foldName),
);

/** Endings of institution words ("Schuldnerberatung", "Jugendamt", "Bildungsträger"). */
const INSTITUTION_ENDING = /(ung|amt|dienst|hilfe|stelle|schule|center|zentrum|traeger|verein|buero|heim|werk|ambulanz|praxis|klinik|gericht)$/;

const LETTERS = /\p{L}/gu;
const letterCount = (text: string) => (text.match(LETTERS) ?? []).length;

/** Words of a name: tokens with an @, a digit or a web address (contact details) are dropped. */
function words(name: string): string[] {
  return name
    .split(/\s+/)
    .filter((token) => token !== '' && !/[@\d]|:\/\/|^www\./i.test(token))
    .flatMap((token) => token.split(/[^\p{L}'’-]+/u))
    .flatMap((token) => {
      const bare = token.replace(/^['’-]+|['’-]+$/g, '');
      // "Müller-Lüdenscheidt": the whole and each side.
      return bare.includes('-') ? [bare, ...bare.split('-')] : [bare];
    })
    .filter((token) => token !== '');
}

export interface NameTerm {
  /** Folded form that is searched for. */
  folded: string;
  /** As written in the case, for the message. */
  name: string;
}

/** The terms to search for: full names and name parts, deduplicated. */
export function nameTerms(cases: readonly CaseNames[]): NameTerm[] {
  const terms = new Map<string, string>();
  const add = (name: string) => {
    const folded = foldName(name);
    if (letterCount(name) >= 3 && !NOT_NAMES.has(folded) && !terms.has(folded)) terms.set(folded, name.trim());
  };
  for (const c of cases) {
    const organisationWords = new Set((c.organisations ?? []).flatMap(words).map(foldName));
    for (const person of c.people) {
      const full = words(person).join(' ');
      const parts = words(person);
      // The full name only when it is more than one word (a single word is its own part) and
      // each part alone is too short to be searched ("Li Na").
      if (parts.length > 1 && parts.every((p) => letterCount(p) < 3)) add(full);
      for (const part of parts) add(part);
    }
    for (const text of c.loose) {
      for (const part of words(text)) {
        if (!/^\p{Lu}/u.test(part)) continue;
        const folded = foldName(part);
        if (ROLE_WORDS.has(folded) || organisationWords.has(folded) || INSTITUTION_ENDING.test(folded)) continue;
        add(part);
      }
    }
  }
  return [...terms].map(([folded, name]) => ({ folded, name }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher for `terms` on folded text: whole words, an optional genitive s. Plain one-word
 * terms are looked up per word of the text (500 cases have thousands of name parts); the few
 * with a space, hyphen or apostrophe are searched with a pattern.
 */
function matcher(terms: readonly NameTerm[]): (text: string) => NameTerm[] {
  const plainTerms = new Map<string, NameTerm>();
  const patterns: { term: NameTerm; re: RegExp }[] = [];
  for (const term of terms) {
    if (/^[\p{L}\p{N}]+$/u.test(term.folded)) plainTerms.set(term.folded, term);
    else {
      const body = escapeRegExp(term.folded).replace(/ /g, '\\s+');
      patterns.push({ term, re: new RegExp(`(?<![\\p{L}\\p{N}])${body}s?(?![\\p{L}\\p{N}])`, 'u') });
    }
  }
  return (text) => {
    const folded = foldName(text);
    const found = new Set<NameTerm>();
    for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
      const term = plainTerms.get(word) ?? (word.endsWith('s') ? plainTerms.get(word.slice(0, -1)) : undefined);
      if (term) found.add(term);
    }
    for (const { term, re } of patterns) if (re.test(folded)) found.add(term);
    return [...found];
  };
}

/** Names found in one text. */
export function findNames(text: string, terms: readonly NameTerm[]): string[] {
  return matcher(terms)(text).map((t) => t.name);
}

/** Every string of the report with where it is, gap descriptions located by case and gap. */
function* reportTexts(report: Report): Generator<{ where: NameLocation; text: string }> {
  for (const gap of report.gaps) yield { where: { part: 'gap', case: gap.case, gap: gap.gap }, text: gap.description };
  // Every other string value, wherever it is. The per-description summary is built from the
  // gap rows and would repeat each finding, so it is skipped, as are the descriptions above.
  const walk = function* (value: unknown, path: string): Generator<{ where: NameLocation; text: string }> {
    if (path === 'gapsByDescription' || /^gaps\[\d+\]\.description$/.test(path)) return;
    if (typeof value === 'string') yield { where: { part: 'other', path }, text: value };
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* walk(v, `${path}[${i}]`);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* walk(v, path ? `${path}.${k}` : k);
  };
  yield* walk(report, '');
}

/** Every name of any case found anywhere in the report; empty: the export may go out. */
export function checkReport(report: Report, cases: readonly CaseNames[]): NameFinding[] {
  const match = matcher(nameTerms(cases));
  const findings: NameFinding[] = [];
  for (const { where, text } of reportTexts(report)) {
    for (const term of match(text)) findings.push({ where, name: term.name });
  }
  return findings;
}

/** The names one case holds, from its plain data (the app adds what only this device knows). */
export function caseNames(c: {
  meta: { displayName: string };
  participants: readonly { name: string; organisation: string }[];
  partners: readonly { contact: string; organisation: string }[];
  steps: readonly { who: string }[];
  /** E.g. this device's own name at the table and the names of people it invited. */
  otherNames?: readonly string[];
}): CaseNames {
  return {
    people: [c.meta.displayName, ...c.participants.map((p) => p.name), ...c.partners.map((p) => p.contact), ...(c.otherNames ?? [])],
    loose: c.steps.map((s) => s.who),
    organisations: [...c.partners.map((p) => p.organisation), ...c.participants.map((p) => p.organisation)],
  };
}
