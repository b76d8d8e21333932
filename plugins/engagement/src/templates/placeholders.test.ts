import { readFileSync } from 'node:fs';
import { isAllowedPlaceholder, parseTemplateBody, PLACEHOLDERS } from './placeholders.js';

describe('parseTemplateBody', () => {
  it('splits literal text and placeholders, with their offsets', () => {
    expect(parseTemplateBody('Hi {{ recipient.givenName }}, see {{links.portal}}')).toEqual([
      { kind: 'literal', text: 'Hi ', start: 0, end: 3 },
      { kind: 'placeholder', name: 'recipient.givenName', start: 3, end: 28 },
      { kind: 'literal', text: ', see ', start: 28, end: 34 },
      { kind: 'placeholder', name: 'links.portal', start: 34, end: 50 },
    ]);
  });

  it('reports an unclosed or non-name placeholder as malformed instead of passing it through', () => {
    expect(parseTemplateBody('a {{patient.givenName')).toEqual([
      { kind: 'literal', text: 'a ', start: 0, end: 2 },
      { kind: 'malformed', text: '{{patient.givenName', start: 2, end: 21 },
    ]);
    expect(parseTemplateBody('{{ a b }}{{}}{{x..y}}').map((s) => s.kind)).toEqual([
      'malformed',
      'malformed',
      'malformed',
    ]);
  });

  it('returns the whole body as one literal when it has no placeholder', () => {
    expect(parseTemplateBody('Reply C to confirm.')).toEqual([
      { kind: 'literal', text: 'Reply C to confirm.', start: 0, end: 19 },
    ]);
    expect(parseTemplateBody('')).toEqual([]);
  });
});

describe('isAllowedPlaceholder', () => {
  it('accepts the allow-list only, not inherited object keys', () => {
    expect(isAllowedPlaceholder('appointment.start')).toBe(true);
    expect(isAllowedPlaceholder('observation.value')).toBe(false);
    expect(isAllowedPlaceholder('toString')).toBe(false);
  });
});

describe('the README placeholder table', () => {
  it('lists exactly the allow-list', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(
      readme.indexOf('### Placeholders'),
      readme.indexOf('`buildRenderModel`'),
    );
    const documented = [...table.matchAll(/^\| `([\w.]+)`/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(PLACEHOLDERS));
  });
});
