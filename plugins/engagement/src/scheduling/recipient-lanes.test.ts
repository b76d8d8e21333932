import { recipientLanes } from './recipient-lanes.js';

describe('recipientLanes', () => {
  it("puts each recipient's messages in one lane, lanes and messages in the order claimed", () => {
    const rows = [
      { id: 'm1', recipientId: 'p1' },
      { id: 'm2', recipientId: 'p2' },
      { id: 'm3', recipientId: 'p1' },
      { id: 'm4', recipientId: 'r1' },
      { id: 'm5', recipientId: 'p2' },
    ];
    expect(recipientLanes(rows).map((lane) => lane.map((r) => r.id))).toEqual([
      ['m1', 'm3'],
      ['m2', 'm5'],
      ['m4'],
    ]);
  });

  it('has no lane for an empty batch', () => {
    expect(recipientLanes([])).toEqual([]);
  });
});
