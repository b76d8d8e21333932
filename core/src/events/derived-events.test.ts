import {
  Appointment,
  AppointmentStatus,
  CareEventType,
  Communication,
  CommunicationStatus,
  Encounter,
  EncounterClass,
  EncounterStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  type Patient,
} from '@caregraph/schema';
import { eventKey, recordEvents } from './derived-events.js';
import type { EntityChange } from './unit-of-work-changes.js';

const patient = { id: '7d1f0b8e-3c1a-4a55-9a43-0a4c2d9e1f10' } as Patient;
const id = '1b0e6c7a-2f41-4f3b-8d8e-6a1c0e9d2b33';

/** A change of `entity`: created, or updated from `before` with `changed` properties. */
function change(
  entity: object,
  how: {
    created?: boolean;
    deleted?: boolean;
    before?: Record<string, unknown>;
    changed?: string[];
  },
): EntityChange {
  return {
    entity,
    type: entity.constructor.name,
    created: how.created ?? false,
    deleted: how.deleted ?? false,
    changed: new Set(how.changed ?? []),
    before: how.before ?? {},
  };
}

const encounter = (cls: EncounterClass, status: EncounterStatus) =>
  Object.assign(new Encounter(), { id, patient, class: cls, status });
const observation = (category: ObservationCategory, status: ObservationStatus) =>
  Object.assign(new Observation(), { id, patient, category, status });
const appointment = (status: AppointmentStatus) =>
  Object.assign(new Appointment(), { id, patient, status });
const types = (events: { type: CareEventType }[]) => events.map((e) => e.type);

describe('recordEvents', () => {
  it.each([
    [EncounterStatus.IN_PROGRESS, EncounterStatus.ARRIVED, [CareEventType.PATIENT_ADMITTED]],
    [EncounterStatus.FINISHED, EncounterStatus.IN_PROGRESS, [CareEventType.PATIENT_DISCHARGED]],
    [EncounterStatus.ON_LEAVE, EncounterStatus.IN_PROGRESS, []],
    [EncounterStatus.IN_PROGRESS, EncounterStatus.IN_PROGRESS, []],
  ])('an inpatient stay moving to %s from %s gives %j', (status, from, expected) => {
    const events = recordEvents(
      change(encounter(EncounterClass.INPATIENT, status), { before: { status: from } }),
    );
    expect(types(events)).toEqual(expected);
    for (const event of events) expect(event.subject).toEqual({ type: 'Encounter', id });
  });

  it('admits on a created emergency stay, not on an ambulatory or virtual visit', () => {
    const created = (cls: EncounterClass) =>
      types(recordEvents(change(encounter(cls, EncounterStatus.IN_PROGRESS), { created: true })));
    expect(created(EncounterClass.EMERGENCY)).toEqual([CareEventType.PATIENT_ADMITTED]);
    expect(created(EncounterClass.AMBULATORY)).toEqual([]);
    expect(created(EncounterClass.VIRTUAL)).toEqual([]);
  });

  it.each([
    [ObservationStatus.FINAL, ObservationStatus.PRELIMINARY, true],
    [ObservationStatus.AMENDED, ObservationStatus.FINAL, true],
    [ObservationStatus.CORRECTED, ObservationStatus.FINAL, true],
    [ObservationStatus.FINAL, ObservationStatus.FINAL, false],
    [ObservationStatus.CANCELLED, ObservationStatus.PRELIMINARY, false],
  ])('a lab result moving to %s from %s is available: %s', (status, from, available) => {
    const events = recordEvents(
      change(observation(ObservationCategory.LABORATORY, status), { before: { status: from } }),
    );
    expect(types(events)).toEqual(available ? [CareEventType.LAB_RESULT_AVAILABLE] : []);
  });

  it('gives no LabResultAvailable for a vital sign or a device reading', () => {
    for (const category of [ObservationCategory.VITAL_SIGNS, ObservationCategory.DEVICE])
      expect(
        recordEvents(change(observation(category, ObservationStatus.FINAL), { created: true })),
      ).toEqual([]);
  });

  it.each([
    [AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED, CareEventType.APPOINTMENT_NO_SHOW],
    [AppointmentStatus.CANCELLED, AppointmentStatus.BOOKED, CareEventType.APPOINTMENT_CANCELLED],
    [AppointmentStatus.BOOKED, AppointmentStatus.PROPOSED, CareEventType.APPOINTMENT_BOOKED],
  ])('an appointment moving to %s from %s gives %s', (status, from, expected) => {
    expect(types(recordEvents(change(appointment(status), { before: { status: from } })))).toEqual([
      expected,
    ]);
  });

  it('gives AppointmentRescheduled for a moved appointment only, never on creation', () => {
    const booked = appointment(AppointmentStatus.BOOKED);
    const before = { status: AppointmentStatus.BOOKED };
    expect(types(recordEvents(change(booked, { before, changed: ['start', 'end'] })))).toEqual([
      CareEventType.APPOINTMENT_RESCHEDULED,
    ]);
    expect(types(recordEvents(change(booked, { before, changed: ['location'] })))).toEqual([]);
    expect(types(recordEvents(change(booked, { created: true, changed: ['start'] })))).toEqual([
      CareEventType.APPOINTMENT_BOOKED,
    ]);
    expect(
      recordEvents(change(appointment(AppointmentStatus.WAITLIST), { created: true })),
    ).toEqual([]);
  });

  it('gives CommunicationStatusChanged for a status change, not for a deletion', () => {
    const message = Object.assign(new Communication(), {
      id,
      patient,
      status: CommunicationStatus.FAILED,
    });
    expect(
      types(recordEvents(change(message, { before: { status: CommunicationStatus.SENT } }))),
    ).toEqual([CareEventType.COMMUNICATION_STATUS_CHANGED]);
    expect(
      recordEvents(
        change(message, { deleted: true, before: { status: CommunicationStatus.SENT } }),
      ),
    ).toEqual([]);
  });

  it('keys an event by type, subject and patient, never by its summary', () => {
    const [event] = recordEvents(change(appointment(AppointmentStatus.NO_SHOW), {}));
    expect(eventKey({ ...event!, summary: 'another text' })).toBe(eventKey(event!));
    expect(eventKey({ ...event!, patientId: id })).not.toBe(eventKey(event!));
  });
});
