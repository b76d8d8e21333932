import {
  Address,
  AppointmentParticipant,
  CodedConcept,
  ContactPoint,
  ContactPointSystem,
  ContactPointUse,
  HumanName,
} from '@caregraph/schema';
import type { CodeEntry } from './catalog.js';

/** A CodedConcept of `system`. */
export function coded(system: string, entry: CodeEntry): CodedConcept {
  return Object.assign(new CodedConcept(), { system, code: entry.code, display: entry.display });
}

/** A HumanName with every list set (never undefined). */
export function humanName(fields: {
  use?: string;
  family: string;
  given: string[];
  prefix?: string[];
  suffix?: string[];
}): HumanName {
  return Object.assign(new HumanName(), {
    use: fields.use ?? 'official',
    family: fields.family,
    given: [...fields.given],
    prefix: [...(fields.prefix ?? [])],
    suffix: [...(fields.suffix ?? [])],
  });
}

/** A ContactPoint. */
export function contactPoint(
  system: ContactPointSystem,
  value: string,
  use: ContactPointUse | undefined,
  rank: number,
  verifiedAt?: Date,
): ContactPoint {
  return Object.assign(new ContactPoint(), { system, value, use, rank, verifiedAt });
}

/** A US home address. */
export function usAddress(fields: {
  line: string[];
  city: string;
  state: string;
  postalCode: string;
  use?: string;
}): Address {
  return Object.assign(new Address(), {
    use: fields.use ?? 'home',
    line: [...fields.line],
    city: fields.city,
    state: fields.state,
    postalCode: fields.postalCode,
    country: 'US',
  });
}

/** An appointment participant (v3 ParticipationType role). */
export function participant(
  actorType: 'Patient' | 'Practitioner' | 'RelatedPerson',
  actorId: string,
  role: string,
): AppointmentParticipant {
  return Object.assign(new AppointmentParticipant(), {
    actorType,
    actorId,
    role,
    status: 'accepted',
  });
}
