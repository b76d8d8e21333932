import { AppointmentStatus, ConsentPurpose } from '@caregraph/schema';
import { RuleKind } from '../store/rule-kind.js';
import { planFollowUps, type FollowUpFacts } from './plan-follow-ups.js';

const HOUR = 3_600_000;
const end = new Date('2026-12-10T15:30:00Z');
const patient = { type: 'Patient' as const, id: 'p1' };
const caregiver = { type: 'RelatedPerson' as const, id: 'r1' };
const appointment = (status: AppointmentStatus): FollowUpFacts => ({
  id: 'a1',
  patientId: 'p1',
  end,
  status,
});
const rule = (key: string, templateKey: string, delay?: string) => ({
  key,
  version: 2,
  purpose: ConsentPurpose.CARE_REMINDERS,
  templateKey,
  delay,
});
const noShowRule = rule('no-show-follow-up', 'no-show-follow-up');
const surveyRule = rule('post-visit-survey', 'post-visit-survey', 'PT3H');
const soon = new Date(end.getTime() + 10 * 60_000);

describe('planFollowUps', () => {
  it('plans the rebooking outreach of a no-show an hour after its end by default', () => {
    const [planned, ...rest] = planFollowUps(
      RuleKind.NO_SHOW_FOLLOW_UP,
      appointment(AppointmentStatus.NO_SHOW),
      noShowRule,
      [patient],
      soon,
    );
    expect(rest).toEqual([]);
    expect(planned).toEqual({
      idempotencyKey: 'no-show-follow-up:Appointment/a1:no-show:Patient/p1',
      patientId: 'p1',
      recipient: patient,
      ruleKey: 'no-show-follow-up',
      ruleVersion: 2,
      purpose: ConsentPurpose.CARE_REMINDERS,
      templateKey: 'no-show-follow-up',
      about: 'Appointment/a1',
      trigger: 'no-show',
      dueAt: new Date(end.getTime() + HOUR),
      expiresAt: new Date(end.getTime() + HOUR + 7 * 24 * HOUR),
    });
  });

  it('plans the survey of a fulfilled visit after the rule’s delay, for each recipient', () => {
    const planned = planFollowUps(
      RuleKind.POST_VISIT_FOLLOW_UP,
      appointment(AppointmentStatus.FULFILLED),
      surveyRule,
      [patient, caregiver],
      soon,
    );
    expect(planned.map((p) => [p.idempotencyKey, p.trigger, p.dueAt, p.expiresAt])).toEqual([
      [
        'post-visit-survey:Appointment/a1:post-visit:Patient/p1',
        'post-visit',
        new Date(end.getTime() + 3 * HOUR),
        new Date(end.getTime() + 3 * HOUR + 3 * 24 * HOUR),
      ],
      [
        'post-visit-survey:Appointment/a1:post-visit:RelatedPerson/r1',
        'post-visit',
        new Date(end.getTime() + 3 * HOUR),
        new Date(end.getTime() + 3 * HOUR + 3 * 24 * HOUR),
      ],
    ]);
  });

  it('plans nothing for another status', () => {
    for (const status of [
      AppointmentStatus.BOOKED,
      AppointmentStatus.CANCELLED,
      AppointmentStatus.FULFILLED,
    ])
      expect(
        planFollowUps(RuleKind.NO_SHOW_FOLLOW_UP, appointment(status), noShowRule, [patient], soon),
      ).toEqual([]);
    expect(
      planFollowUps(
        RuleKind.POST_VISIT_FOLLOW_UP,
        appointment(AppointmentStatus.NO_SHOW),
        surveyRule,
        [patient],
        soon,
      ),
    ).toEqual([]);
  });

  it('makes a follow-up recorded late due now, and plans none once it would have expired', () => {
    const late = new Date(end.getTime() + 2 * 24 * HOUR);
    const [planned] = planFollowUps(
      RuleKind.NO_SHOW_FOLLOW_UP,
      appointment(AppointmentStatus.NO_SHOW),
      noShowRule,
      [patient],
      late,
    );
    expect(planned!.dueAt).toEqual(late);
    const tooLate = new Date(end.getTime() + 4 * 24 * HOUR);
    expect(
      planFollowUps(
        RuleKind.POST_VISIT_FOLLOW_UP,
        appointment(AppointmentStatus.FULFILLED),
        surveyRule,
        [patient],
        tooLate,
      ),
    ).toEqual([]);
  });

  it('gives the same keys when planned again, whatever the rule version', () => {
    const first = planFollowUps(
      RuleKind.NO_SHOW_FOLLOW_UP,
      appointment(AppointmentStatus.NO_SHOW),
      noShowRule,
      [patient],
      soon,
    );
    const again = planFollowUps(
      RuleKind.NO_SHOW_FOLLOW_UP,
      appointment(AppointmentStatus.NO_SHOW),
      { ...noShowRule, version: 3, delay: 'PT4H' },
      [patient],
      new Date(soon.getTime() + HOUR),
    );
    expect(again.map((p) => p.idempotencyKey)).toEqual(first.map((p) => p.idempotencyKey));
  });
});
