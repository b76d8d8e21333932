import { ConsentPurpose, MedicationRequestStatus } from '@caregraph/schema';
import {
  planAdherenceCheckIn,
  planRefillReminders,
  remindable,
  type MedicationFacts,
} from './plan-medication-messages.js';

const DAY = 86_400_000;
const authoredOn = new Date('2026-12-01T10:00:00.000Z');
const at = (days: number) => new Date(authoredOn.getTime() + days * DAY);
const medication: MedicationFacts = {
  id: 'm1',
  patientId: 'p1',
  status: MedicationRequestStatus.ACTIVE,
  authoredOn,
  daysSupply: 30,
  refillsAllowed: 2,
  securityLabels: [],
};
const base = { version: 1, purpose: ConsentPurpose.CARE_REMINDERS };
const refill = { ...base, key: 'refill-due', templateKey: 'refill-due', offsets: ['P3D'] };
const checkIn = { ...base, key: 'adherence', templateKey: 'adherence-check-in', cadence: 'P14D' };
const patient = { type: 'Patient' as const, id: 'p1' };

describe('planRefillReminders', () => {
  it('plans the current supply period’s reminder the lead before the supply runs out', () => {
    const [first] = planRefillReminders(medication, refill, [patient], at(1));
    expect(first).toMatchObject({
      idempotencyKey: 'refill-due:MedicationRequest/m1:supply-0:P3D:Patient/p1',
      about: 'MedicationRequest/m1',
      trigger: 'supply-0:P3D',
      dueAt: at(27),
      expiresAt: at(30),
      templateKey: 'refill-due',
    });
    // In the second period (the first refill), the second period's reminder.
    expect(planRefillReminders(medication, refill, [patient], at(31))[0]).toMatchObject({
      trigger: 'supply-1:P3D',
      dueAt: at(57),
      expiresAt: at(60),
    });
  });

  it('plans the same key on every sweep of a period (stored once)', () => {
    const key = (days: number) =>
      planRefillReminders(medication, refill, [patient], at(days))[0]!.idempotencyKey;
    expect(key(2)).toBe(key(20));
    expect(key(2)).not.toBe(key(40));
  });

  it('is due at once inside the lead window, and nothing once every refill has run out', () => {
    expect(planRefillReminders(medication, refill, [patient], at(28))[0]!.dueAt).toEqual(at(28));
    expect(planRefillReminders(medication, refill, [patient], at(90))).toEqual([]);
    const once = { ...medication, refillsAllowed: undefined };
    expect(planRefillReminders(once, refill, [patient], at(31))).toEqual([]);
  });

  it('plans nothing without a days supply, for a stopped or a labelled request', () => {
    const none = (m: Partial<MedicationFacts>) =>
      planRefillReminders({ ...medication, ...m }, refill, [patient], at(1));
    expect(none({ daysSupply: undefined })).toEqual([]);
    expect(none({ status: MedicationRequestStatus.STOPPED })).toEqual([]);
    expect(none({ securityLabels: ['HIV'] })).toEqual([]);
  });

  it('plans one per lead time', () => {
    const two = { ...refill, offsets: ['P7D', 'P1D'] };
    expect(
      planRefillReminders(medication, two, [patient], at(1)).map((p) => [p.trigger, p.dueAt]),
    ).toEqual([
      ['supply-0:P7D', at(23)],
      ['supply-0:P1D', at(29)],
    ]);
  });
});

describe('planAdherenceCheckIn', () => {
  it('plans the next check-in of the cadence, expiring when the one after is due', () => {
    expect(planAdherenceCheckIn(medication, checkIn, [patient], at(1))).toEqual([
      expect.objectContaining({
        idempotencyKey: 'adherence:MedicationRequest/m1:check-in-1:Patient/p1',
        trigger: 'check-in-1',
        dueAt: at(14),
        expiresAt: at(28),
      }),
    ]);
    expect(planAdherenceCheckIn(medication, checkIn, [patient], at(15))[0]).toMatchObject({
      trigger: 'check-in-2',
      dueAt: at(28),
    });
    // Exactly at a check-in's time, that one (not yet sent) is still the next.
    expect(planAdherenceCheckIn(medication, checkIn, [patient], at(14))[0]!.trigger).toBe(
      'check-in-1',
    );
  });

  it('stops at the end of the prescribed supply; without a days supply, while active', () => {
    expect(planAdherenceCheckIn(medication, checkIn, [patient], at(85))).toEqual([]);
    const open = { ...medication, daysSupply: undefined };
    expect(planAdherenceCheckIn(open, checkIn, [patient], at(400))[0]!.trigger).toBe('check-in-29');
    const stopped = { ...medication, status: MedicationRequestStatus.COMPLETED };
    expect(planAdherenceCheckIn(stopped, checkIn, [patient], at(1))).toEqual([]);
  });
});

describe('remindable', () => {
  it('is an active request without security labels', () => {
    expect(remindable(medication)).toBe(true);
    expect(remindable({ ...medication, status: MedicationRequestStatus.ON_HOLD })).toBe(false);
    expect(remindable({ ...medication, securityLabels: ['ETH'] })).toBe(false);
  });
});
