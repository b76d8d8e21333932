import { describe, expect, it } from '@jest/globals';

import { ackPlan } from './ack-policy.js';

describe('ackPlan', () => {
  it('is original mode when MSH-15 and MSH-16 are both empty', () => {
    const plan = ackPlan({});
    expect(plan.mode).toBe('original');
    expect([plan.commit(true), plan.commit(false)]).toEqual([false, false]);
    expect([plan.application(true), plan.application(false)]).toEqual([true, true]);
    expect(ackPlan({ acceptAckType: ' ', applicationAckType: '' }).mode).toBe('original');
  });

  it.each([
    ['AL', [true, true]],
    ['NE', [false, false]],
    ['ER', [false, true]],
    ['SU', [true, false]],
  ] as const)('sends a commit ACK for MSH-15 %s as [ok, failed] = %j', (accept, expected) => {
    const plan = ackPlan({ acceptAckType: accept, applicationAckType: 'NE' });
    expect(plan.mode).toBe('enhanced');
    expect([plan.commit(true), plan.commit(false)]).toEqual(expected);
    expect([plan.application(true), plan.application(false)]).toEqual([false, false]);
  });

  it.each([
    ['AL', [true, true]],
    ['NE', [false, false]],
    ['ER', [false, true]],
    ['SU', [true, false]],
  ] as const)('sends an application ACK for MSH-16 %s as [ok, failed] = %j', (app, expected) => {
    const plan = ackPlan({ acceptAckType: 'NE', applicationAckType: app });
    expect([plan.application(true), plan.application(false)]).toEqual(expected);
  });

  it('treats an empty or unknown one of the pair as AL in enhanced mode, configurably', () => {
    const plan = ackPlan({ acceptAckType: 'AL' });
    expect(plan).toMatchObject({
      mode: 'enhanced',
      acceptCondition: 'AL',
      applicationCondition: 'AL',
    });
    expect(plan.application(true)).toBe(true);
    expect(ackPlan({ applicationAckType: 'ER' }).acceptCondition).toBe('AL');
    expect(ackPlan({ acceptAckType: 'XX', applicationAckType: 'NE' }).acceptCondition).toBe('AL');
    const ne = ackPlan({ acceptAckType: 'AL' }, { missingCondition: 'NE' });
    expect(ne.application(false)).toBe(false);
  });
});
