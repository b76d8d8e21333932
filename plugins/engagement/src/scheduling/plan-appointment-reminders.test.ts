import { AppointmentStatus, ConsentPurpose } from '@caregraph/schema';
import { planAppointmentReminders, type AppointmentFacts } from './plan-appointment-reminders.js';

const HOUR = 3_600_000;
const start = new Date('2026-12-10T15:00:00.000Z');
const appointment: AppointmentFacts = {
  id: 'a1',
  patientId: 'p1',
  start,
  status: AppointmentStatus.BOOKED,
};
const rule = {
  key: 'appointment-reminders',
  version: 3,
  purpose: ConsentPurpose.CARE_REMINDERS,
  templateKey: 'appointment-reminder',
  offsets: ['P7D', 'PT24H', 'PT2H'],
};
const patient = { type: 'Patient' as const, id: 'p1' };
const caregiver = { type: 'RelatedPerson' as const, id: 'r1' };
const longBefore = new Date(start.getTime() - 30 * 24 * HOUR);

describe('planAppointmentReminders', () => {
  it('plans one message per offset, due that long before the start and expiring at it', () => {
    const planned = planAppointmentReminders(appointment, rule, [patient], longBefore);
    expect(planned.map((p) => [p.trigger, p.dueAt.toISOString()])).toEqual([
      ['P7D', '2026-12-03T15:00:00.000Z'],
      ['PT24H', '2026-12-09T15:00:00.000Z'],
      ['PT2H', '2026-12-10T13:00:00.000Z'],
    ]);
    for (const p of planned) {
      expect(p.expiresAt).toEqual(start);
      expect(p).toMatchObject({
        patientId: 'p1',
        ruleKey: 'appointment-reminders',
        ruleVersion: 3,
        about: 'Appointment/a1',
        purpose: ConsentPurpose.CARE_REMINDERS,
      });
    }
  });

  it('leaves out the offsets whose time has passed', () => {
    const booked = new Date(start.getTime() - 30 * HOUR);
    const planned = planAppointmentReminders(appointment, rule, [patient], booked);
    expect(planned.map((p) => p.trigger)).toEqual(['PT24H', 'PT2H']);
  });

  it('plans for every recipient, each with a key of its own', () => {
    const planned = planAppointmentReminders(appointment, rule, [patient, caregiver], longBefore);
    expect(planned).toHaveLength(6);
    expect(new Set(planned.map((p) => p.idempotencyKey)).size).toBe(6);
    expect(planned.filter((p) => p.recipient.type === 'RelatedPerson')).toHaveLength(3);
  });

  it('gives the same keys when planned again, and new ones once the appointment moves', () => {
    const keys = (facts: AppointmentFacts) =>
      planAppointmentReminders(facts, rule, [patient], longBefore).map((p) => p.idempotencyKey);
    expect(keys(appointment)).toEqual(keys({ ...appointment }));
    const moved = { ...appointment, start: new Date(start.getTime() + 24 * HOUR) };
    for (const key of keys(moved)) expect(keys(appointment)).not.toContain(key);
  });

  it('names the rule, not its version, so a new version does not remind twice', () => {
    const [v3] = planAppointmentReminders(appointment, rule, [patient], longBefore);
    const [v4] = planAppointmentReminders(
      appointment,
      { ...rule, version: 4 },
      [patient],
      longBefore,
    );
    expect(v4!.idempotencyKey).toBe(v3!.idempotencyKey);
  });

  it.each([
    AppointmentStatus.CANCELLED,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.FULFILLED,
    AppointmentStatus.ENTERED_IN_ERROR,
  ])('plans nothing for a %s appointment', (status) => {
    expect(
      planAppointmentReminders({ ...appointment, status }, rule, [patient], longBefore),
    ).toEqual([]);
  });

  it('plans nothing once the appointment has begun', () => {
    expect(planAppointmentReminders(appointment, rule, [patient], start)).toEqual([]);
  });

  it('refuses an offset that is not a duration of days, hours and minutes', () => {
    expect(() =>
      planAppointmentReminders(appointment, { ...rule, offsets: ['P1M'] }, [patient], longBefore),
    ).toThrow(RangeError);
  });
});
