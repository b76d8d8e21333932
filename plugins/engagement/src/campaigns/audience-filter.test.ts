import {
  audienceCountStatement,
  audienceFilterSchema,
  audiencePageStatement,
} from './audience-filter.js';

const now = new Date('2026-12-03T15:00:00Z');
const placeholders = (sql: string) => sql.match(/\?/g)?.length ?? 0;

describe('audience filters', () => {
  it('accept conditions, care programs and an age range', () => {
    const filter = audienceFilterSchema.parse({
      conditions: [{ system: 'http://snomed.info/sct', codes: ['44054006'] }],
      carePrograms: [{ system: 'http://snomed.info/sct', codes: ['698360004'] }],
      ageMin: 18,
      ageMax: 65,
    });
    expect(filter.ageMax).toBe(65);
    expect(audienceFilterSchema.parse({})).toEqual({});
  });

  it('name the field of a bad filter', () => {
    const path = (input: unknown) => audienceFilterSchema.safeParse(input).error?.issues[0]?.path;
    expect(path({ ageMin: 70, ageMax: 20 })).toEqual(['ageMax']);
    expect(path({ ageMin: -1 })).toEqual(['ageMin']);
    expect(path({ conditions: [{ system: 'x', codes: ['bad code'] }] })).toEqual([
      'conditions',
      0,
      'codes',
      0,
    ]);
    expect(path({ carePrograms: [{ system: '', codes: ['1'] }] })).toEqual([
      'carePrograms',
      0,
      'system',
    ]);
    expect(path({ gender: 'female' })).toEqual([]);
  });

  it('make statements with a parameter for every placeholder', () => {
    const filter = audienceFilterSchema.parse({
      conditions: [{ system: 's', codes: ['E11.*'] }],
      carePrograms: [{ system: 's', codes: ['698360004'] }],
      ageMin: 40,
    });
    const count = audienceCountStatement(filter, 't', now);
    expect(placeholders(count.sql)).toBe(count.params.length);
    expect(count.params).toContain('1986-12-03');
    const page = audiencePageStatement(filter, { tenantId: 't', now, after: 'a', limit: 10 });
    expect(placeholders(page.sql)).toBe(page.params.length);
    expect(page.params.slice(-2)).toEqual(['a', 10]);
  });
});
