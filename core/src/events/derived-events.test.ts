import {
  Appointment,
  AppointmentStatus,
  BreakGlassSession,
  CareEventType,
  CareTeam,
  CareTeamPatient,
  Communication,
  CommunicationStatus,
  Consent,
  ConsentStatus,
  Encounter,
  EncounterClass,
  EncounterStatus,
  Observation,
  ObservationCategory,
  ObservationStatus,
  Patient,
  PatientIdentifier,
  Practitioner,
  Task,
  TaskStatus,
} from '@caregraph/schema';
import { eventKey, recordEvents } from './derived-events.js';
import { patientEvents } from './patient-events.js';
import type { EntityChange } from './unit-of-work-changes.js';

const patient = Object.assign(new Patient(), { id: '7d1f0b8e-3c1a-4a55-9a43-0a4c2d9e1f10' });
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

  it('gives LabResultReleased when a lab result is created released or is released', () => {
    const lab = () => observation(ObservationCategory.LABORATORY, ObservationStatus.FINAL);
    const releasedLab = Object.assign(lab(), { releasedToPatient: true });
    expect(types(recordEvents(change(releasedLab, { created: true })))).toEqual([
      CareEventType.LAB_RESULT_AVAILABLE,
      CareEventType.LAB_RESULT_RELEASED,
    ]);
    const releasing = change(Object.assign(lab(), { releasedToPatient: true }), {
      before: { status: ObservationStatus.FINAL, releasedToPatient: false },
      changed: ['releasedToPatient'],
    });
    expect(types(recordEvents(releasing))).toEqual([CareEventType.LAB_RESULT_RELEASED]);
    const unreleasing = change(lab(), {
      before: { status: ObservationStatus.FINAL, releasedToPatient: true },
      changed: ['releasedToPatient'],
    });
    expect(recordEvents(unreleasing)).toEqual([]);
    const vital = Object.assign(
      observation(ObservationCategory.VITAL_SIGNS, ObservationStatus.FINAL),
      { releasedToPatient: true },
    );
    expect(recordEvents(change(vital, { created: true }))).toEqual([]);
  });

  it('gives no LabResultAvailable for a vital sign or a device reading', () => {
    for (const category of [ObservationCategory.VITAL_SIGNS, ObservationCategory.DEVICE])
      expect(
        recordEvents(change(observation(category, ObservationStatus.FINAL), { created: true })),
      ).toEqual([]);
  });

  it.each([
    [AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED, CareEventType.APPOINTMENT_NO_SHOW],
    [AppointmentStatus.FULFILLED, AppointmentStatus.ARRIVED, CareEventType.APPOINTMENT_FULFILLED],
    [
      AppointmentStatus.FULFILLED,
      AppointmentStatus.CHECKED_IN,
      CareEventType.APPOINTMENT_FULFILLED,
    ],
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

describe('recordEvents: tasks, consents, care-team enrolments', () => {
  const task = (fields: Partial<Task>) =>
    Object.assign(new Task(), { id, patient, status: TaskStatus.REQUESTED, ...fields });
  const consent = (status: ConsentStatus) => Object.assign(new Consent(), { id, patient, status });
  const enrolment = Object.assign(new CareTeamPatient(), { id, patient });
  const owner = Object.assign(new Practitioner(), { id });

  it('gives TaskAssigned for a created task and a new owner, TaskCompleted on completion', () => {
    expect(types(recordEvents(change(task({}), { created: true })))).toEqual([
      CareEventType.TASK_ASSIGNED,
    ]);
    const handed = change(task({ owner }), { before: { owner: null }, changed: ['owner'] });
    expect(recordEvents(handed)).toEqual([
      {
        type: CareEventType.TASK_ASSIGNED,
        patientId: patient.id,
        summary: 'Task assigned',
        subject: { type: 'Task', id },
      },
    ]);
    const team = change(task({ ownerTeam: new CareTeam() }), { changed: ['ownerTeam'] });
    expect(types(recordEvents(team))).toEqual([CareEventType.TASK_ASSIGNED]);
    const completed = task({ status: TaskStatus.COMPLETED });
    expect(recordEvents(change(completed, { before: { status: TaskStatus.IN_PROGRESS } }))).toEqual(
      [
        {
          type: CareEventType.TASK_COMPLETED,
          patientId: patient.id,
          summary: 'Task completed',
          subject: { type: 'Task', id },
        },
      ],
    );
  });

  it('gives no task event for an unassigned owner, a rewritten status or another field', () => {
    const before = { status: TaskStatus.REQUESTED };
    expect(recordEvents(change(task({}), { before, changed: ['owner'] }))).toEqual([]);
    expect(recordEvents(change(task({}), { before, changed: ['title', 'dueAt'] }))).toEqual([]);
    const done = task({ status: TaskStatus.COMPLETED });
    expect(
      recordEvents(
        change(done, { before: { status: TaskStatus.COMPLETED }, changed: ['outcome'] }),
      ),
    ).toEqual([]);
  });

  it('gives ConsentChanged when a consent is recorded, revoked or its provisions change', () => {
    const summaries = (c: EntityChange) =>
      recordEvents(c).map((e) => [e.type, e.summary, e.subject.type]);
    const active = consent(ConsentStatus.ACTIVE);
    expect(summaries(change(active, { created: true }))).toEqual([
      [CareEventType.CONSENT_CHANGED, 'Consent recorded', 'Consent'],
    ]);
    const revoked = change(consent(ConsentStatus.INACTIVE), {
      before: { status: ConsentStatus.ACTIVE },
      changed: ['status', 'revokedAt', 'periodEnd', 'revocationReason'],
    });
    expect(summaries(revoked)).toEqual([
      [CareEventType.CONSENT_CHANGED, 'Consent revoked', 'Consent'],
    ]);
    const before = { status: ConsentStatus.ACTIVE };
    expect(summaries(change(active, { before, changed: ['periodEnd'] }))).toEqual([
      [CareEventType.CONSENT_CHANGED, 'Consent changed', 'Consent'],
    ]);
    expect(recordEvents(change(active, { before, changed: ['source'] }))).toEqual([]);
  });

  it('gives CareTeamChanged for an enrolment created, ended or deleted, not otherwise', () => {
    const expected = [
      {
        type: CareEventType.CARE_TEAM_CHANGED,
        patientId: patient.id,
        summary: 'Care team changed',
        subject: { type: 'CareTeamPatient', id },
      },
    ];
    expect(recordEvents(change(enrolment, { created: true }))).toEqual(expected);
    expect(recordEvents(change(enrolment, { changed: ['periodEnd'] }))).toEqual(expected);
    expect(recordEvents(change(enrolment, { deleted: true }))).toEqual(expected);
    expect(recordEvents(change(enrolment, { changed: ['updatedAt'] }))).toEqual([]);
  });
});

describe('recordEvents: break-glass sessions', () => {
  it('announces a started session on creation, not its review', () => {
    const session = Object.assign(new BreakGlassSession(), { id, patient });
    expect(recordEvents(change(session, { created: true }))).toEqual([
      {
        type: CareEventType.BREAK_GLASS_STARTED,
        patientId: patient.id,
        summary: 'Emergency access override started',
        subject: { type: 'BreakGlassSession', id },
      },
    ]);
    const reviewed = change(session, { changed: ['reviewedAt', 'reviewedBy', 'reviewNote'] });
    expect(recordEvents(reviewed)).toEqual([]);
  });
});

describe('patientEvents', () => {
  const survivor = Object.assign(new Patient(), { id });
  const identifier = () => Object.assign(new PatientIdentifier(), { id, patient });
  const described = (events: ReturnType<typeof patientEvents>) =>
    events.map((e) => [e.type, e.patientId, e.summary, e.subject]);
  const about = (patientId: string) => ({ type: 'Patient', id: patientId });

  it('registers a created patient, once, whatever identifiers come with it', () => {
    expect(
      described(
        patientEvents([
          change(patient, { created: true }),
          change(identifier(), { created: true }),
        ]),
      ),
    ).toEqual([
      [CareEventType.PATIENT_REGISTERED, patient.id, 'Patient registered', about(patient.id)],
    ]);
  });

  it('gives one PatientUpdated for changed details and identifiers of one patient', () => {
    const events = patientEvents([
      change(patient, { changed: ['names', 'familySearch', 'givenSearch'] }),
      change(identifier(), { created: true }),
      change(identifier(), { changed: ['use'] }),
    ]);
    expect(described(events)).toEqual([
      [CareEventType.PATIENT_UPDATED, patient.id, 'Patient details updated', about(patient.id)],
    ]);
    expect(types(patientEvents([change(identifier(), { deleted: true })]))).toEqual([
      CareEventType.PATIENT_UPDATED,
    ]);
    for (const field of ['gender', 'birthDate', 'telecom', 'address', 'timeZone', 'deceased'])
      expect(types(patientEvents([change(patient, { changed: [field] })]))).toEqual([
        CareEventType.PATIENT_UPDATED,
      ]);
  });

  it('gives nothing for internal columns: search folds, a re-keyed blind index, timestamps', () => {
    expect(
      patientEvents([
        change(patient, { changed: ['familySearch', 'givenSearch', 'updatedAt'] }),
        change(identifier(), { changed: ['valueIndex'] }),
      ]),
    ).toEqual([]);
  });

  it('gives PatientsMerged about the survivor for the merged record, and no PatientUpdated', () => {
    const loser = Object.assign(new Patient(), {
      id: '3f5c1d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f',
      active: false,
      replacedBy: survivor,
    });
    expect(
      described(
        patientEvents([
          change(loser, { before: { active: true }, changed: ['active', 'replacedBy'] }),
        ]),
      ),
    ).toEqual([[CareEventType.PATIENTS_MERGED, id, 'Patient records merged', about(id)]]);
  });

  it('gives nothing for an erased patient (a tombstone)', () => {
    const erased = Object.assign(new Patient(), { id, active: false, erasedAt: new Date() });
    const changed = ['active', 'names', 'telecom', 'replacedBy', 'erasedAt'];
    expect(patientEvents([change(erased, { changed })])).toEqual([]);
  });
});
