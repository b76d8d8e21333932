import type { SensitiveCategory } from '@caregraph/schema';

/**
 * What a sensitive term reveals: the schema's sensitive categories, plus cancer care, other
 * conditions, and words that only appear when a result is being described.
 */
export type SensitiveTermCategory = `${SensitiveCategory}` | 'oncology' | 'condition' | 'result';

/**
 * Words that reveal a condition, a treatment, a clinic's speciality or a result, in English and
 * Spanish. Matched as whole words, case- and accent-insensitively; acronyms that are also common
 * words in lower case (`AIDS`, `ITS`, `PrEP`) match only as written.
 */
export const SENSITIVE_TERMS: Readonly<Record<SensitiveTermCategory, readonly string[]>> = {
  oncology: [
    'cancer',
    'oncology',
    'oncologist',
    'chemotherapy',
    'chemo',
    'radiation therapy',
    'tumor',
    'tumour',
    'malignant',
    'biopsy',
    'oncología',
    'oncólogo',
    'quimioterapia',
    'maligno',
    'biopsia',
  ],
  'hiv-sexual-health': [
    'HIV',
    'AIDS',
    'PrEP',
    'STD',
    'STI',
    'sexually transmitted',
    'syphilis',
    'gonorrhea',
    'chlamydia',
    'herpes',
    'hepatitis',
    'VIH',
    'SIDA',
    'ETS',
    'ITS',
    'sífilis',
    'gonorrea',
    'clamidia',
  ],
  'mental-health': [
    'psychiatry',
    'psychiatric',
    'psychiatrist',
    'mental health',
    'behavioral health',
    'behavioural health',
    'depression',
    'anxiety',
    'bipolar',
    'schizophrenia',
    'psiquiatría',
    'psiquiátrico',
    'psiquiatra',
    'salud mental',
    'depresión',
    'ansiedad',
    'esquizofrenia',
  ],
  'substance-use': [
    'substance use',
    'addiction',
    'rehab',
    'detox',
    'methadone',
    'buprenorphine',
    'suboxone',
    'naloxone',
    'opioid',
    'alcoholism',
    'adicción',
    'desintoxicación',
    'metadona',
    'opioide',
    'alcoholismo',
  ],
  reproductive: [
    'pregnancy',
    'pregnant',
    'prenatal',
    'abortion',
    'contraception',
    'contraceptive',
    'fertility',
    'IVF',
    'miscarriage',
    'embarazo',
    'embarazada',
    'aborto',
    'anticonceptivo',
    'fertilidad',
  ],
  genetic: ['genetic', 'genetics', 'BRCA', 'genético', 'genética'],
  condition: [
    'diabetes',
    'diabetic',
    'hba1c',
    'A1c',
    'insulin',
    'dialysis',
    'kidney disease',
    'heart failure',
    'asthma',
    'COPD',
    'dementia',
    'alzheimer',
    'epilepsy',
    'obesity',
    'diagnosis',
    'diagnosed',
    'diabético',
    'insulina',
    'diálisis',
    'demencia',
    'diagnóstico',
    'diagnosticado',
  ],
  result: [
    'positive',
    'negative',
    'abnormal',
    'tested positive',
    'positivo',
    'negativo',
    'anormal',
  ],
};

/** One occurrence of a sensitive term in a text (UTF-16 offsets into the original text). */
export interface SensitiveTermMatch {
  start: number;
  end: number;
  /** The text as written at that place. */
  term: string;
  category: SensitiveTermCategory;
}

/** A measurement with a clinical unit, e.g. `7.2 mg/dL`, `120 mmHg`, `8%`. */
const MEASUREMENT =
  /(?<![\p{L}\p{N}])\d+(?:[.,]\d+)?\s?(?:mg\/dl|mmol\/l|g\/dl|mmhg|iu\/l|u\/l|ng\/ml|pg\/ml|meq\/l|mcg|µg|mg|ml|%)(?![\p{L}\p{N}])/gu;

const WORD_BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}])';
const WORD_BOUNDARY_AFTER = '(?![\\p{L}\\p{N}])';

interface CompiledTerm {
  pattern: RegExp;
  category: SensitiveTermCategory;
  caseSensitive: boolean;
}

/** An acronym is written with two or more capitals; it is matched as written. */
const isAcronym = (term: string) => /\p{Lu}.*\p{Lu}/u.test(term);

const COMPILED: CompiledTerm[] = Object.entries(SENSITIVE_TERMS).flatMap(([category, terms]) =>
  terms.map((term) => {
    const caseSensitive = isAcronym(term);
    const folded = fold(term, caseSensitive).text;
    const body = folded
      .split(/\s+/)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
    return {
      pattern: new RegExp(WORD_BOUNDARY_BEFORE + body + WORD_BOUNDARY_AFTER, 'gu'),
      category: category as SensitiveTermCategory,
      caseSensitive,
    };
  }),
);

/** Every sensitive term in `text`, in order of position. */
export function findSensitiveTerms(text: string): SensitiveTermMatch[] {
  const versions = { true: fold(text, true), false: fold(text, false) };
  const matches: SensitiveTermMatch[] = [];
  for (const { pattern, category, caseSensitive } of COMPILED) {
    const folded = versions[`${caseSensitive}`];
    for (const m of folded.text.matchAll(pattern)) matches.push(toMatch(text, folded, m, category));
  }
  return dropOverlaps(matches);
}

/** Every measurement with a clinical unit in `text`. */
export function findMeasurements(text: string): { start: number; end: number; term: string }[] {
  const folded = fold(text, false);
  return [...folded.text.matchAll(MEASUREMENT)].map((m) => {
    const { start, end, term } = toMatch(text, folded, m, 'result');
    return { start, end, term };
  });
}

interface FoldedText {
  text: string;
  /** For each UTF-16 unit of `text`: the original span of the character it came from. */
  origin: { start: number; end: number }[];
}

/** Strips accents (and lower-cases unless `keepCase`), remembering where each unit came from. */
function fold(text: string, keepCase: boolean): FoldedText {
  let folded = '';
  const origin: FoldedText['origin'] = [];
  let index = 0;
  for (const character of text) {
    let f = character.normalize('NFD').replace(/\p{M}+/gu, '');
    if (!keepCase) f = f.toLowerCase();
    const span = { start: index, end: index + character.length };
    for (let i = 0; i < f.length; i++) origin.push(span);
    folded += f;
    index += character.length;
  }
  return { text: folded, origin };
}

function toMatch(
  text: string,
  folded: FoldedText,
  m: RegExpExecArray | RegExpMatchArray,
  category: SensitiveTermCategory,
): SensitiveTermMatch {
  const first = m.index!;
  const start = folded.origin[first]!.start;
  const end = folded.origin[first + m[0].length - 1]!.end;
  return { start, end, term: text.slice(start, end), category };
}

/** Keeps the longest match where matches overlap (`tested positive` over `positive`). */
function dropOverlaps(matches: SensitiveTermMatch[]): SensitiveTermMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SensitiveTermMatch[] = [];
  for (const match of sorted) {
    const last = kept.at(-1);
    if (!last || match.start >= last.end) kept.push(match);
  }
  return kept;
}
