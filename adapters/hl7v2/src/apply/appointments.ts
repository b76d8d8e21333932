import {
  Appointment,
  AppointmentParticipant,
  CodedConcept,
  type Patient,
  type Practitioner,
} from '@caregraph/schema';
import { MappingError } from '../mappings/mapping-error.js';
import type { AppointmentDetailsRecord, AppointmentRecord } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';
import { applyPatient } from './patients.js';
import { resolvePractitioner } from './practitioners.js';
import { linkedRecord, linkRecord, type LinkKey } from './record-links.js';

const FILLER_ID = { segment: 'SCH', sequence: 1, field: 2 };

/** The sender's keys for the appointment: its filler id first, then its placer id. */
function keysOf(state: ApplyState, details: AppointmentDetailsRecord): LinkKey[] {
  const keys: LinkKey[] = [];
  if (details.fillerAppointmentId)
    keys.push({
      kind: 'appointment',
      system: `${state.sender}:filler`,
      externalId: details.fillerAppointmentId,
    });
  if (details.placerAppointmentId)
    keys.push({
      kind: 'appointment',
      system: `${state.sender}:placer`,
      externalId: details.placerAppointmentId,
    });
  return keys;
}

/** The appointment the first linked key names, and the keys not linked yet. */
async function findAppointment(state: ApplyState, keys: LinkKey[]) {
  let appointment: Appointment | null = null;
  const unlinked: LinkKey[] = [];
  for (const key of keys) {
    const id = await linkedRecord(state, key);
    if (!id) unlinked.push(key);
    else appointment ??= await state.em.findOne(Appointment, id);
  }
  return { appointment, unlinked };
}

/** Patient (SBJ) and every AIP practitioner with its role, as core books them. */
async function participantsOf(
  state: ApplyState,
  patient: Patient,
  details: AppointmentDetailsRecord,
): Promise<AppointmentParticipant[]> {
  const participants: AppointmentParticipant[] = [
    Object.assign(new AppointmentParticipant(), {
      actorType: 'Patient',
      actorId: patient.id,
      role: 'SBJ',
      status: 'accepted',
    }),
  ];
  for (const { practitioner: ref, role } of details.practitioners) {
    const practitioner = await resolvePractitioner(state, ref);
    if (practitioner)
      participants.push(
        Object.assign(new AppointmentParticipant(), {
          actorType: 'Practitioner',
          actorId: practitioner.id,
          role,
          status: 'accepted',
        }),
      );
  }
  return participants;
}

/**
 * The participants of a message without AIP segments (often a cancellation): the stored ones,
 * with the patient of the message as subject.
 */
function samePractitioners(appointment: Appointment, patient: Patient): AppointmentParticipant[] {
  return appointment.participants.map((participant) =>
    participant.actorType === 'Patient'
      ? Object.assign(new AppointmentParticipant(), { ...participant, actorId: patient.id })
      : participant,
  );
}

/**
 * SIU S12…S26 onto `Appointment`, found by the sender's filler id (SCH-2), else its placer id
 * (SCH-1), through record links. S12 books it (or, for an appointment already known, updates
 * it: a resend changes nothing); S13 reschedule, S14 modify, S15 cancel, S17 delete and S26
 * no-show need a known appointment (else HL7 204 at SCH-2). S17 never removes the row: the
 * appointment becomes `entered-in-error`, so it and its audit trail stay. Appointment events
 * (booked, rescheduled, cancelled, no-show) are derived by core from the change.
 */
export async function applyAppointment(
  record: AppointmentRecord,
  state: ApplyState,
): Promise<void> {
  const details = record.appointment;
  const keys = keysOf(state, details);
  if (keys.length === 0)
    throw MappingError.requiredFieldMissing(FILLER_ID, 'filler or placer appointment id');
  const { appointment: found, unlinked } = await findAppointment(state, keys);
  if (!found && record.action !== 'book') throw MappingError.unknownKey(FILLER_ID, 'appointment');
  let patient: Patient;
  if (record.patient) patient = await applyPatient(state, record.patient);
  else if (found) patient = found.patient;
  else throw MappingError.requiredFieldMissing({ segment: 'PID' }, 'patient identification');
  state.patientId ??= patient.id;

  const practitioner: Practitioner | undefined = await resolvePractitioner(
    state,
    details.practitioner,
  );
  const created = !found;
  const appointment =
    found ??
    state.em.create(Appointment, {
      tenantId: state.config.tenantId,
      patient,
      status: details.status,
      start: details.start,
      end: details.end,
    });
  const changed = assignChanges(appointment, {
    patient,
    status: details.status,
    start: details.start,
    end: details.end,
    practitioner,
    serviceType: details.serviceType && Object.assign(new CodedConcept(), details.serviceType),
    description: details.description,
    location: details.location,
    cancellationReason: details.cancellationReason,
    cancelledAt: details.cancelledAt,
    participants:
      created || details.practitioners.length
        ? await participantsOf(state, patient, details)
        : samePractitioners(appointment, patient),
  });
  for (const key of unlinked) linkRecord(state, key, 'Appointment', appointment.id);
  state.wrote('Appointment', appointment.id, { created, changed });
}
