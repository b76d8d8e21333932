import { BadUserInputError } from '../../errors/caregraph-error.js';
import { decodeCursor, encodeCursor, pageSize, toPage } from './pagination.js';

describe('Relay pagination helpers', () => {
  it('round-trips a keyset through an opaque cursor', () => {
    const cursor = encodeCursor({ sort: '2026-01-02T03:04:05.000Z', id: 'a1' });
    expect(cursor).not.toContain('2026');
    expect(decodeCursor(cursor)).toEqual({ sort: '2026-01-02T03:04:05.000Z', id: 'a1' });
  });

  it('rejects a forged cursor as bad input on the argument', () => {
    expect(() => decodeCursor(Buffer.from('{"x":1}').toString('base64url'))).toThrow(
      BadUserInputError,
    );
    expect(() => decodeCursor('%%%')).toThrow(/after/);
  });

  it('clamps page sizes to 1..100 with a default of 20', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(1);
    expect(pageSize(500)).toBe(100);
  });

  it('detects a next page from the extra row and drops it', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `id${n}`, at: n }));
    const page = toPage(rows, 2, (r) => ({ sort: r.at, id: r.id }), false);
    expect(page.edges.map((e) => e.node.id)).toEqual(['id1', 'id2']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(decodeCursor(page.pageInfo.endCursor)).toEqual({ sort: 2, id: 'id2' });
  });
});
