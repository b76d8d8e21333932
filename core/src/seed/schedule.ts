import {
  Appointment,
  AppointmentStatus,
  Encounter,
  EncounterClass,
  EncounterStatus,
  type Practitioner,
  wallClock,
} from '@caregraph/schema';
import { SYSTEMS, type CodeEntry } from './catalog.js';
import { ADMISSION_REASONS, VISIT_TYPES } from './programs.js';
import type { AssignedCondition, SeedScope } from './clinical.js';
import type { SeededPatient } from './patients.js';
import { CLINIC_TIME_ZONE, DEMO_EMAIL_DOMAIN } from './people.js';
import { addDays, addMinutes, zonedTime, type SeedRandom } from './random.js';
import { coded, participant } from './values.js';

/** Length of every demo appointment. */
export const SLOT_MINUTES = 30;

/** Local start times of the clinic's slots: 08:00-16:30 without the 12:00-13:00 lunch hour. */
const SLOT_TIMES: readonly [number, number][] = [8, 9, 10, 11, 13, 14, 15, 16].flatMap((hour) => [
  [hour, 0] as [number, number],
  [hour, 30] as [number, number],
]);

/**
 * Hands out 30-minute clinic slots so that no practitioner (and no patient) is ever booked
 * twice at the same time. Slots are aligned, so distinct starts never overlap.
 */
export class SlotBook {
  private readonly taken = new Map<string, Set<number>>();
  private readonly today: { year: number; month: number; day: number };

  constructor(
    private readonly random: SeedRandom,
    now: Date,
  ) {
    this.today = wallClock(now, CLINIC_TIME_ZONE);
  }

  private isFree(owner: string, start: number): boolean {
    return !this.taken.get(owner)?.has(start);
  }

  private mark(owner: string, start: number): void {
    let set = this.taken.get(owner);
    if (!set) this.taken.set(owner, (set = new Set()));
    set.add(start);
  }

  private slot(dayOffset: number, slotIndex: number): Date | undefined {
    const date = new Date(
      Date.UTC(this.today.year, this.today.month - 1, this.today.day + dayOffset),
    );
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) return undefined;
    const [hour, minute] = SLOT_TIMES[slotIndex];
    return zonedTime(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      hour,
      minute,
      CLINIC_TIME_ZONE,
    );
  }

  /** A free weekday slot between `fromDay` and `toDay` days from today (clinic time), or undefined. */
  take(
    practitionerId: string,
    patientId: string,
    fromDay: number,
    toDay: number,
  ): { start: Date; end: Date } | undefined {
    const tryBook = (dayOffset: number, slotIndex: number) => {
      const start = this.slot(dayOffset, slotIndex);
      if (!start) return undefined;
      const key = start.getTime();
      if (!this.isFree(practitionerId, key) || !this.isFree(patientId, key)) return undefined;
      this.mark(practitionerId, key);
      this.mark(patientId, key);
      return { start, end: addMinutes(start, SLOT_MINUTES) };
    };
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const booked = tryBook(
        this.random.int(fromDay, toDay),
        this.random.int(0, SLOT_TIMES.length - 1),
      );
      if (booked) return booked;
    }
    for (let day = fromDay; day <= toDay; day += 1) {
      for (let index = 0; index < SLOT_TIMES.length; index += 1) {
        const booked = tryBook(day, index);
        if (booked) return booked;
      }
    }
    return undefined;
  }
}

const CANCEL_REASONS = [
  'Patient request',
  'Patient feeling better',
  'Scheduling conflict',
  'No transportation',
];

function visitReason(random: SeedRandom, conditions: readonly AssignedCondition[]): string {
  const active = conditions.filter((condition) => condition.active);
  if (active.length === 0 || random.chance(0.3))
    return random.pick(['Annual wellness visit', 'Medication review', 'Routine check-up']);
  return `${random.pick(active).def.display} follow-up`;
}

/** Appointments of one patient, split by time. */
export interface PatientSchedule {
  past: Appointment[];
  future: Appointment[];
  encounters: Encounter[];
}

/**
 * Books 1-3 past appointments (mostly fulfilled, a few no-shows and cancellations) and 1-2
 * future ones with clinicians of the patient's care teams, and records an encounter for every
 * fulfilled visit (plus an older visit when there is none, and a short admission for a few).
 */
export function createSchedule(
  scope: SeedScope,
  slots: SlotBook,
  seeded: SeededPatient,
  clinicians: readonly Practitioner[],
  conditions: readonly AssignedCondition[],
  firstWith?: Practitioner,
): PatientSchedule {
  const { em, tenantId, now, random } = scope;
  const { patient } = seeded;
  const schedule: PatientSchedule = { past: [], future: [], encounters: [] };
  const guardian = seeded.related?.relationship === 'GUARD' ? seeded.related : undefined;

  const book = (practitioner: Practitioner, future: boolean): Appointment | undefined => {
    const slot = future
      ? slots.take(practitioner.id, patient.id, 1, 45)
      : slots.take(practitioner.id, patient.id, -360, -1);
    if (!slot) return undefined;
    const status = future
      ? AppointmentStatus.BOOKED
      : random.weighted([
          { value: AppointmentStatus.FULFILLED, weight: 80 },
          { value: AppointmentStatus.NO_SHOW, weight: 10 },
          { value: AppointmentStatus.CANCELLED, weight: 10 },
        ]);
    const telehealth = random.chance(future ? 0.3 : 0.15);
    const serviceType: CodeEntry = telehealth
      ? VISIT_TYPES.telehealth
      : random.pick([VISIT_TYPES.checkUp, VISIT_TYPES.followUp]);
    const participants = [
      participant('Patient', patient.id, 'SBJ'),
      participant('Practitioner', practitioner.id, 'PPRF'),
    ];
    if (guardian) participants.push(participant('RelatedPerson', guardian.id, 'ESC'));
    const cancelled = status === AppointmentStatus.CANCELLED;
    return em.create(Appointment, {
      tenantId,
      patient,
      practitioner,
      status,
      start: slot.start,
      end: slot.end,
      serviceType: coded(SYSTEMS.snomed, serviceType),
      location: telehealth ? 'Telehealth' : `CareGraph Demo Clinic, exam room ${random.int(1, 8)}`,
      telehealthUrl: telehealth
        ? `https://telehealth.${DEMO_EMAIL_DOMAIN}/visit/${random.code(12).toLowerCase()}`
        : undefined,
      description: visitReason(random, conditions),
      participants,
      cancellationReason: cancelled ? random.pick(CANCEL_REASONS) : undefined,
      cancelledAt: cancelled
        ? new Date(slot.start.getTime() - random.int(2, 72) * 3_600_000)
        : undefined,
    });
  };

  const pastCount = random.int(1, 3);
  for (let n = 0; n < pastCount; n += 1) {
    const appointment = book(random.pick(clinicians), false);
    if (appointment) schedule.past.push(appointment);
  }
  const futureCount = random.int(1, 2);
  for (let n = 0; n < futureCount; n += 1) {
    const appointment = book(n === 0 && firstWith ? firstWith : random.pick(clinicians), true);
    if (appointment) schedule.future.push(appointment);
  }

  for (const visit of schedule.past.filter(
    (appointment) => appointment.status === AppointmentStatus.FULFILLED,
  )) {
    schedule.encounters.push(
      em.create(Encounter, {
        tenantId,
        patient,
        status: EncounterStatus.FINISHED,
        class: visit.telehealthUrl ? EncounterClass.VIRTUAL : EncounterClass.AMBULATORY,
        type: visit.serviceType
          ? coded(SYSTEMS.snomed, {
              code: visit.serviceType.code!,
              display: visit.serviceType.display!,
            })
          : undefined,
        periodStart: visit.start,
        periodEnd: visit.end,
        location: visit.location,
        attending: visit.practitioner,
        reason: visit.description,
        visitNumber: `V${random.digits(8)}`,
      }),
    );
  }
  if (schedule.encounters.length === 0) {
    const day = addDays(now, -random.int(380, 720));
    day.setUTCHours(15, 0, 0, 0);
    schedule.encounters.push(
      em.create(Encounter, {
        tenantId,
        patient,
        status: EncounterStatus.FINISHED,
        class: EncounterClass.AMBULATORY,
        type: coded(SYSTEMS.snomed, VISIT_TYPES.checkUp),
        periodStart: day,
        periodEnd: addMinutes(day, SLOT_MINUTES),
        location: 'CareGraph Demo Clinic',
        attending: clinicians[0],
        reason: 'Routine check-up',
        visitNumber: `V${random.digits(8)}`,
      }),
    );
  }
  if (schedule.encounters.length < 4 && random.chance(0.1)) {
    const admitted = addDays(now, -random.int(60, 600));
    schedule.encounters.push(
      em.create(Encounter, {
        tenantId,
        patient,
        status: EncounterStatus.FINISHED,
        class: EncounterClass.INPATIENT,
        type: coded(SYSTEMS.snomed, VISIT_TYPES.admission),
        periodStart: admitted,
        periodEnd: addDays(admitted, random.int(2, 5)),
        location: `4W^${random.int(401, 430)}^${random.pick(['A', 'B'])}`,
        attending: clinicians[0],
        reason: random.pick(ADMISSION_REASONS),
        visitNumber: `V${random.digits(8)}`,
      }),
    );
  }
  schedule.encounters.sort((a, b) => b.periodStart.getTime() - a.periodStart.getTime());
  return schedule;
}
