import { withControlId } from './outbound-retry.js';

describe('withControlId', () => {
  it('replaces MSH-10 and keeps every other byte', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20270101||SIU^S12^SIU_S12|OLD|P|2.5.1\rSCH||x';
    expect(withControlId(text, 'NEW')).toBe(
      'MSH|^~\\&|A|B|C|D|20270101||SIU^S12^SIU_S12|NEW|P|2.5.1\rSCH||x',
    );
  });
});
