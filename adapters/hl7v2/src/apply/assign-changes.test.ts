import { CodedConcept } from '@caregraph/schema';
import { assignChanges, sameValue } from './assign-changes.js';

interface Row {
  status?: string;
  at?: Date;
  code?: CodedConcept;
  owner?: { id: string; name?: string };
  note?: string | null;
}

const coded = (value: Partial<CodedConcept>) => Object.assign(new CodedConcept(), value);

describe('assignChanges', () => {
  it('leaves a row whose values are the same untouched', () => {
    const row: Row = {
      status: 'booked',
      at: new Date('2024-01-15T14:30:00Z'),
      code: coded({ system: 'http://loinc.org', code: '1' }),
      owner: { id: 'a', name: 'loaded entity' },
    };
    const before = { ...row };
    const changed = assignChanges(row, {
      status: 'booked',
      at: new Date('2024-01-15T14:30:00.000Z'),
      code: coded({ code: '1', system: 'http://loinc.org', display: undefined }),
      owner: { id: 'a' },
    });
    expect(changed).toBe(false);
    expect(row.at).toBe(before.at);
    expect(row.code).toBe(before.code);
    expect(row.owner).toBe(before.owner);
  });

  it('sets what differs, keeps what is undefined and clears what is null', () => {
    const row: Row = { status: 'booked', note: 'x', at: new Date(0) };
    expect(assignChanges(row, { status: 'cancelled', at: undefined, note: null })).toBe(true);
    expect(row).toEqual({ status: 'cancelled', note: null, at: new Date(0) });
  });

  it('compares entities by id and embeddables by content', () => {
    expect(sameValue({ id: 'a', x: 1 }, { id: 'a', x: 2 })).toBe(true);
    expect(sameValue({ id: 'a' }, { id: 'b' })).toBe(false);
    expect(sameValue(coded({ code: '1' }), coded({ code: '2' }))).toBe(false);
    expect(sameValue([coded({ code: '1' })], [coded({ code: '1' })])).toBe(true);
    expect(sameValue(undefined, null)).toBe(true);
  });
});
