import { findMeasurements, findSensitiveTerms } from './sensitive-terms.js';

describe('findSensitiveTerms', () => {
  it('finds whole words case- and accent-insensitively, with offsets into the original text', () => {
    const text = 'Su cita en Oncologia y en PSIQUIATRÍA.';
    expect(findSensitiveTerms(text)).toEqual([
      { start: 11, end: 20, term: 'Oncologia', category: 'oncology' },
      { start: 26, end: 37, term: 'PSIQUIATRÍA', category: 'mental-health' },
    ]);
  });

  it('matches multi-word terms across any spacing, and prefers the longest overlapping one', () => {
    expect(findSensitiveTerms('Our Mental\n Health team: you tested positive')).toEqual([
      { start: 4, end: 18, term: 'Mental\n Health', category: 'mental-health' },
      { start: 29, end: 44, term: 'tested positive', category: 'result' },
    ]);
  });

  it('matches acronyms that are lower-case words only as written', () => {
    expect(findSensitiveTerms('Westside HIV and AIDS clinic').map((m) => m.term)).toEqual([
      'HIV',
      'AIDS',
    ]);
    expect(findSensitiveTerms('bring your hearing aids; its time to prep')).toEqual([]);
  });

  it('does not match inside longer words', () => {
    expect(findSensitiveTerms('Cancerbury Road, chemotherapist')).toEqual([]);
  });
});

describe('findMeasurements', () => {
  it('finds numbers with clinical units', () => {
    expect(
      findMeasurements('HbA1c 8.1% and glucose 126 mg/dL, room 12').map((m) => m.term),
    ).toEqual(['8.1%', '126 mg/dL']);
  });
});
