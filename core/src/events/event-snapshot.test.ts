import { EventSnapshots } from './event-snapshot.js';

const TENANT = '00000000-0000-4000-8000-000000000001';
const OTHER_TENANT = '00000000-0000-4000-8000-000000000002';
const EVENT = '00000000-0000-4000-8000-0000000000e1';

describe('EventSnapshots', () => {
  it('gives the receivers of one event of one tenant the same snapshot, and others their own', () => {
    const snapshots = new EventSnapshots();
    const first = snapshots.of(TENANT, EVENT);
    expect(snapshots.of(TENANT, EVENT)).toBe(first);
    expect(snapshots.of(TENANT, '00000000-0000-4000-8000-0000000000e2')).not.toBe(first);
    expect(snapshots.of(OTHER_TENANT, EVENT)).not.toBe(first);
  });

  it('reads each row once, loading only the ids not read yet, and freezes what it shares', async () => {
    const snapshot = new EventSnapshots().of(TENANT, EVENT);
    const loads: (readonly string[])[] = [];
    const load = async (ids: readonly string[]) => {
      loads.push(ids);
      return ids.filter((id) => id !== 'gone').map((id) => ({ id, labels: ['PSY'] }));
    };
    expect(await snapshot.rowsById('observation', ['a', 'gone'], load)).toEqual([
      { id: 'a', labels: ['PSY'] },
    ]);
    const rows = await snapshot.rowsById('observation', ['b', 'a', 'gone'], load);
    expect(rows.map((row) => row.id)).toEqual(['b', 'a']);
    expect(loads).toEqual([['a', 'gone'], ['b']]);
    expect(Object.isFrozen(rows[1])).toBe(true);
    expect(() => (rows[1]!.labels as string[]).push('HIV')).toThrow(TypeError);
  });

  it('does not keep a failed read: the next receiver reads again', async () => {
    const snapshot = new EventSnapshots().of(TENANT, EVENT);
    let calls = 0;
    const load = async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
      return ['consent'];
    };
    await expect(snapshot.shared('consents', load)).rejects.toThrow('connection lost');
    expect(await snapshot.shared('consents', load)).toEqual(['consent']);
    expect(await snapshot.shared('consents', load)).toEqual(['consent']);
    expect(calls).toBe(2);
  });
});
