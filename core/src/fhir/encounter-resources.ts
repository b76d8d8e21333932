import type * as fhir from 'fhir/r4.js';
import type { Appointment, Encounter } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import {
  FHIR_SYSTEMS,
  code,
  codeable,
  instant,
  period,
  reference,
  text,
  withoutEmpty,
} from './fhir-values.js';

/** An Encounter resource (visit, admission, virtual contact). */
export function toFhirEncounter(encounter: Encounter, refs: ExportRefs): fhir.Encounter {
  const attending = refs.practitioner(encounter.attending?.id);
  return withoutEmpty({
    resourceType: 'Encounter' as const,
    id: encounter.id,
    meta: { lastUpdated: instant(encounter.updatedAt) },
    identifier: encounter.visitNumber
      ? [
          {
            type: code(FHIR_SYSTEMS.v2IdentifierType, 'VN'),
            system: FHIR_SYSTEMS.visitNumber,
            value: encounter.visitNumber,
          },
        ]
      : undefined,
    status: encounter.status as fhir.Encounter['status'],
    class: { system: FHIR_SYSTEMS.v3ActCode, code: encounter.class },
    type: encounter.type ? [codeable(encounter.type)!] : undefined,
    subject: refs.patient(),
    participant: attending
      ? [{ type: [code(FHIR_SYSTEMS.v3ParticipationType, 'ATND')], individual: attending }]
      : undefined,
    period: period(encounter.periodStart, encounter.periodEnd),
    reasonCode: encounter.reason ? [text(encounter.reason)!] : undefined,
    location: encounter.location ? [{ location: { display: encounter.location } }] : undefined,
  });
}

const PARTICIPANT_TYPES = new Set(['Patient', 'Practitioner', 'RelatedPerson']);

function participant(
  actorType: string,
  actorId: string,
  role: string | undefined,
  status: string,
  refs: ExportRefs,
): fhir.AppointmentParticipant {
  const actor =
    actorType === 'Practitioner'
      ? refs.practitioner(actorId)
      : PARTICIPANT_TYPES.has(actorType)
        ? reference(actorType, actorId)
        : { display: `${actorType} ${actorId}` };
  return withoutEmpty({
    type: role ? [code(FHIR_SYSTEMS.v3ParticipationType, role)] : undefined,
    actor,
    status: status as fhir.AppointmentParticipant['status'],
  });
}

/**
 * An Appointment resource. The patient and the practitioner whose time is held are always
 * among the participants; location and video link (no R4 element) go into `comment`.
 */
export function toFhirAppointment(appointment: Appointment, refs: ExportRefs): fhir.Appointment {
  const participants = appointment.participants.map((p) =>
    participant(p.actorType, p.actorId, p.role, p.status, refs),
  );
  const has = (type: string, id: string) =>
    appointment.participants.some((p) => p.actorType === type && p.actorId === id);
  if (!has('Patient', refs.patientId))
    participants.unshift(participant('Patient', refs.patientId, 'SBJ', 'accepted', refs));
  if (appointment.practitioner && !has('Practitioner', appointment.practitioner.id))
    participants.push(
      participant('Practitioner', appointment.practitioner.id, 'PPRF', 'accepted', refs),
    );
  const comment = [
    appointment.location && `Location: ${appointment.location}`,
    appointment.telehealthUrl && `Video visit: ${appointment.telehealthUrl}`,
  ]
    .filter(Boolean)
    .join('\n');
  return withoutEmpty({
    resourceType: 'Appointment' as const,
    id: appointment.id,
    meta: { lastUpdated: instant(appointment.updatedAt) },
    status: appointment.status as fhir.Appointment['status'],
    cancelationReason: text(appointment.cancellationReason),
    serviceType: appointment.serviceType ? [codeable(appointment.serviceType)!] : undefined,
    description: appointment.description,
    start: instant(appointment.start),
    end: instant(appointment.end),
    created: instant(appointment.createdAt),
    comment: comment || undefined,
    participant: participants,
  });
}
