import {
  canonicalLanguage,
  languageFallbackChain,
  languageTruncations,
  sameLanguage,
} from './language-fallback.js';

describe('languageFallbackChain', () => {
  it('goes es-MX → es → the tenant default → en', () => {
    expect(languageFallbackChain('es-MX', 'fr-CA')).toEqual(['es-MX', 'es', 'fr-CA', 'fr', 'en']);
  });

  it('drops duplicates and keeps English last', () => {
    expect(languageFallbackChain('en-US', 'en')).toEqual(['en-US', 'en']);
    expect(languageFallbackChain(undefined, 'es')).toEqual(['es', 'en']);
  });

  it('skips a malformed or empty preferred language instead of failing', () => {
    expect(languageFallbackChain('not a language!', 'es')).toEqual(['es', 'en']);
    expect(languageFallbackChain('  ', undefined)).toEqual(['en']);
  });
});

describe('languageTruncations', () => {
  it('canonicalises case, drops extensions and truncates script and region', () => {
    expect(languageTruncations('zh-hant-tw')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh']);
    expect(languageTruncations('es-mx-u-ca-gregory')).toEqual(['es-MX', 'es']);
  });
});

describe('canonicalLanguage and sameLanguage', () => {
  it('compare tags case-insensitively', () => {
    expect(canonicalLanguage('EN-us')).toBe('en-US');
    expect(sameLanguage('es-mx', 'ES-MX')).toBe(true);
    expect(sameLanguage('es', 'es-MX')).toBe(false);
    expect(sameLanguage('??', '??')).toBe(false);
  });
});
