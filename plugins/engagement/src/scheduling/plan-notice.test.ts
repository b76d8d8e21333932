import { ConsentPurpose } from '@caregraph/schema';
import { carePlanUpdateTrigger, planNotice } from './plan-notice.js';

const occurredAt = new Date('2026-12-03T14:20:00.000Z');
const rule = {
  key: 'care-plan-update',
  version: 2,
  purpose: ConsentPurpose.CARE_REMINDERS,
  templateKey: 'care-plan-update',
};
const patient = { type: 'Patient' as const, id: 'p1' };
const caregiver = { type: 'RelatedPerson' as const, id: 'r1' };
const facts = { patientId: 'p1', about: 'CarePlan/c1', trigger: 'updated:2026-12-03', occurredAt };

describe('planNotice', () => {
  it('plans one message per recipient, due the rule’s delay after the change', () => {
    const planned = planNotice(facts, { ...rule, delay: 'PT1H' }, [patient, caregiver], occurredAt);
    expect(planned).toEqual([
      {
        idempotencyKey: 'care-plan-update:CarePlan/c1:updated:2026-12-03:Patient/p1',
        patientId: 'p1',
        recipient: patient,
        ruleKey: 'care-plan-update',
        ruleVersion: 2,
        purpose: ConsentPurpose.CARE_REMINDERS,
        templateKey: 'care-plan-update',
        about: 'CarePlan/c1',
        trigger: 'updated:2026-12-03',
        dueAt: new Date('2026-12-03T15:20:00.000Z'),
      },
      expect.objectContaining({
        idempotencyKey: 'care-plan-update:CarePlan/c1:updated:2026-12-03:RelatedPerson/r1',
        recipient: caregiver,
      }),
    ]);
  });

  it('is due at once without a delay, and never in the past (an event handled late)', () => {
    expect(planNotice(facts, rule, [patient], occurredAt)[0]!.dueAt).toEqual(occurredAt);
    const later = new Date('2026-12-04T09:00:00.000Z');
    expect(planNotice(facts, { ...rule, delay: 'PT1H' }, [patient], later)[0]!.dueAt).toEqual(
      later,
    );
  });

  it('gives the same key when planned again (a redelivered event)', () => {
    const again = (at: Date) => planNotice(facts, rule, [patient], at)[0]!.idempotencyKey;
    expect(again(occurredAt)).toBe(again(new Date(occurredAt.getTime() + 60_000)));
  });

  it('refuses a delay that is not a duration of days, hours and minutes', () => {
    expect(() => planNotice(facts, { ...rule, delay: 'P1M' }, [patient], occurredAt)).toThrow(
      RangeError,
    );
  });
});

describe('carePlanUpdateTrigger', () => {
  it('is one per plan and UTC day: edits of a day announce once, the next day’s again', () => {
    expect(carePlanUpdateTrigger(new Date('2026-12-03T00:05:00Z'))).toBe('updated:2026-12-03');
    expect(carePlanUpdateTrigger(new Date('2026-12-03T23:55:00Z'))).toBe('updated:2026-12-03');
    expect(carePlanUpdateTrigger(new Date('2026-12-04T00:00:00Z'))).toBe('updated:2026-12-04');
  });
});
