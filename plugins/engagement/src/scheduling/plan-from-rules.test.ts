import { AppointmentStatus, CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import type { EngagementRule } from '../store/engagement-rule.js';
import { RuleKind } from '../store/rule-kind.js';
import { longestOffset, planFromRules } from './plan-from-rules.js';

const HOUR = 3_600_000;
const start = new Date('2026-12-10T15:00:00.000Z');
const appointment = { id: 'a1', patientId: 'p1', start, status: AppointmentStatus.BOOKED };

function rule(key: string, offsets: string[] | undefined, includeCaregivers = false) {
  return {
    key,
    version: 2,
    kind: RuleKind.APPOINTMENT_REMINDER,
    definition: {
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'appointment-reminder',
      channels: [CommunicationChannel.EMAIL],
      offsets,
      includeCaregivers,
    },
  } as unknown as EngagementRule;
}

describe('planFromRules', () => {
  const now = new Date(start.getTime() - 30 * 24 * HOUR);

  it("plans each rule's offsets, for the caregivers only where the rule includes them", () => {
    const planned = planFromRules(
      appointment,
      [rule('reminders', ['PT24H'], true), rule('confirmation', ['PT48H'])],
      [
        { type: 'Patient', id: 'p1' },
        { type: 'RelatedPerson', id: 'r1' },
        { type: 'RelatedPerson', id: 'r2' },
      ],
      now,
    );
    expect(planned.map((p) => p.idempotencyKey)).toEqual([
      'reminders:Appointment/a1@2026-12-10T15:00:00.000Z:PT24H:Patient/p1',
      'reminders:Appointment/a1@2026-12-10T15:00:00.000Z:PT24H:RelatedPerson/r1',
      'reminders:Appointment/a1@2026-12-10T15:00:00.000Z:PT24H:RelatedPerson/r2',
      'confirmation:Appointment/a1@2026-12-10T15:00:00.000Z:PT48H:Patient/p1',
    ]);
    expect(planned.every((p) => p.ruleVersion === 2 && p.patientId === 'p1')).toBe(true);
  });

  it('plans nothing for a cancelled appointment or one that has begun', () => {
    const rules = [rule('reminders', ['PT2H'])];
    const cancelled = { ...appointment, status: AppointmentStatus.CANCELLED };
    expect(planFromRules(cancelled, rules, [], now)).toEqual([]);
    expect(planFromRules(appointment, rules, [], new Date(start.getTime() + 1))).toEqual([]);
  });
});

describe('longestOffset', () => {
  it('is the longest offset of the rules in ms, 0 without offsets', () => {
    expect(longestOffset([rule('a', ['PT2H', 'P7D']), rule('b', ['P1DT12H'])])).toBe(7 * 24 * HOUR);
    expect(longestOffset([rule('c', undefined)])).toBe(0);
    expect(longestOffset([])).toBe(0);
  });
});
