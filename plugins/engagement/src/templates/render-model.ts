import {
  isValidTimeZone,
  type Appointment,
  type HumanName,
  type Patient,
  type Practitioner,
  type RelatedPerson,
} from '@caregraph/schema';
import { canonicalLanguage, LAST_RESORT_LANGUAGE } from './language-fallback.js';

/** The links a message may carry; the scheduler builds them (signed, per message). */
export interface RenderLinks {
  confirm?: string;
  reschedule?: string;
  book?: string;
  join?: string;
  survey?: string;
  portal?: string;
  unsubscribe?: string;
}

/**
 * Everything a template can be filled from, and nothing more: plain values copied out of the
 * entities, so that a template cannot reach a field that is not on the placeholder allow-list.
 */
export interface RenderModel {
  /** The person addressed: the patient, or the caregiver or proxy who receives the message. */
  recipient: { givenName?: string; name?: string; isPatient: boolean };
  /** The patient the message is about. */
  patient: { givenName?: string };
  appointment?: { start: Date; end: Date; location?: string; practitionerName?: string };
  practice: { name: string; phone?: string };
  links: RenderLinks;
  /** The recipient's language (BCP 47): their own, else the patient's, else the tenant's. */
  language: string;
  /** The recipient's IANA time zone: their own, else the patient's, else the tenant's. */
  timeZone: string;
  /** Whether `timeZone` differs from the practice's, so that times name their zone. */
  showTimeZoneName: boolean;
}

/** The tenant-level facts a message needs (from the plugin's tenant settings). */
export interface PracticeSettings {
  name: string;
  phone?: string;
  /** BCP 47; `en` when absent. */
  defaultLanguage?: string;
  /** IANA zone of the practice. */
  defaultTimeZone: string;
}

/** A caregiver or proxy who receives the message, with the language and zone they asked for. */
export type CaregiverRecipient = Pick<RelatedPerson, 'name'> & {
  preferredLanguage?: string;
  timeZone?: string;
};

/** What `buildRenderModel` reads; shaped like the schema entities (entities themselves fit). */
export interface RenderModelInput {
  patient: Pick<Patient, 'names' | 'name' | 'preferredLanguage' | 'timeZone'>;
  /** Set when the message goes to a caregiver or proxy instead of the patient. */
  caregiver?: CaregiverRecipient;
  appointment?: Pick<Appointment, 'start' | 'end' | 'location'> & {
    practitioner?: Pick<Practitioner, 'name'>;
  };
  practice: PracticeSettings;
  links?: RenderLinks;
}

/**
 * Builds the render model of one message. A caregiver recipient is greeted by their own name;
 * the patient's given name stays available as `patient.givenName`. The schema records no
 * language or zone for a RelatedPerson, so unless the caller passes them the caregiver gets the
 * patient's. A malformed language tag or unknown zone falls back to the next source.
 */
export function buildRenderModel(input: RenderModelInput): RenderModel {
  const { patient, caregiver, appointment, practice } = input;
  const patientName = patient.name();
  const recipientName = caregiver ? caregiver.name : patientName;
  const timeZone = firstValidZone(caregiver?.timeZone, patient.timeZone, practice.defaultTimeZone);
  const practitionerName = appointment?.practitioner
    ? displayName(appointment.practitioner.name)
    : undefined;
  return {
    recipient: {
      givenName: givenName(recipientName),
      name: displayName(recipientName),
      isPatient: !caregiver,
    },
    patient: { givenName: givenName(patientName) },
    appointment: appointment && {
      start: appointment.start,
      end: appointment.end,
      ...(appointment.location?.trim() ? { location: appointment.location.trim() } : {}),
      ...(practitionerName ? { practitionerName } : {}),
    },
    practice: { name: practice.name, ...(practice.phone ? { phone: practice.phone } : {}) },
    links: { ...input.links },
    language:
      canonicalLanguage(caregiver?.preferredLanguage) ??
      canonicalLanguage(patient.preferredLanguage) ??
      canonicalLanguage(practice.defaultLanguage) ??
      LAST_RESORT_LANGUAGE,
    timeZone,
    showTimeZoneName: timeZone !== practice.defaultTimeZone,
  };
}

function givenName(name: HumanName | undefined): string | undefined {
  return name?.given.find((g) => g.trim())?.trim();
}

function displayName(name: HumanName | undefined): string | undefined {
  return name?.text().trim() || undefined;
}

function firstValidZone(...zones: (string | undefined)[]): string {
  return zones.find((z): z is string => !!z && isValidTimeZone(z)) ?? 'UTC';
}
