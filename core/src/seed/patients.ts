import type { EntityManager } from '@mikro-orm/sql';
import {
  AdministrativeGender,
  ContactPointSystem,
  ContactPointUse,
  Patient,
  PatientIdentifier,
  RelatedPerson,
  type ContactPoint,
} from '@caregraph/schema';
import type { ConditionKey } from './catalog.js';
import { CITIES, EXTRA_NAMES, FEATURED_PATIENTS, type CityDef } from './featured-patients.js';
import { CLINIC_TIME_ZONE, DEMO_TENANT, IDENTIFIER_SYSTEMS } from './people.js';
import { addDays, asciiSlug, isoDate, type SeedRandom } from './random.js';
import { contactPoint, humanName, usAddress } from './values.js';

/** A caregiver or guardian of a patient, before it becomes a RelatedPerson. */
export interface RelatedProfile {
  relationship: 'GUARD' | 'CAREGIVER';
  given: string;
  family: string;
  mobile: string;
  email: string;
  proxyAccess: boolean;
}

/** Everything about a patient that comes from the demographic stream (independent of `now`). */
export interface PatientProfile {
  index: number;
  given: string[];
  family: string;
  gender: AdministrativeGender;
  age: number;
  birthOffsetDays: number;
  language: string;
  city: CityDef;
  line: string[];
  postalCode: string;
  mobile?: string;
  homePhone?: string;
  email?: string;
  smsVerifiedDaysAgo?: number;
  emailVerifiedDaysAgo?: number;
  mrn: string;
  ssn: string;
  registeredDaysAgo: number;
  related?: RelatedProfile;
  /** Conditions fixed by a featured patient; random patients get theirs from the clinical stream. */
  conditions?: ConditionKey[];
  primaryTeam?: 'pc-a' | 'pc-b';
}

/** Hands out unique fictional numbers (555-0100 to 555-0199) and e-mail addresses. */
class ContactBook {
  private readonly phones = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly ssns = new Set<string>();

  constructor(private readonly random: SeedRandom) {}

  phone(areaCode: string): string {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const value = `+1${areaCode}5550${this.random.int(100, 199)}`;
      if (!this.phones.has(value)) {
        this.phones.add(value);
        return value;
      }
    }
    return `+1${areaCode}5550${this.random.int(100, 199)}`;
  }

  email(given: string, family: string): string {
    const domain = this.random.pick(['example.com', 'example.org', 'example.net']);
    const base = `${asciiSlug(given)}.${asciiSlug(family)}`;
    let value = `${base}@${domain}`;
    for (let n = 2; this.emails.has(value); n += 1) value = `${base}${n}@${domain}`;
    this.emails.add(value);
    return value;
  }

  /** An SSN-shaped number in area 900-999, which the SSA never issues. */
  ssn(): string {
    let value: string;
    do {
      value = `${this.random.int(900, 999)}-${String(this.random.int(1, 99)).padStart(2, '0')}-${String(this.random.int(1, 9999)).padStart(4, '0')}`;
    } while (this.ssns.has(value));
    this.ssns.add(value);
    return value;
  }
}

function randomName(
  random: SeedRandom,
  language: string,
  gender: AdministrativeGender,
): { given: string[]; family: string } {
  const sex =
    gender === AdministrativeGender.MALE
      ? 'male'
      : gender === AdministrativeGender.FEMALE
        ? 'female'
        : random.pick(['male', 'female'] as const);
  if (language === 'vi' || language === 'zh') {
    const names = EXTRA_NAMES[language];
    return {
      given: [random.pick(sex === 'male' ? names.male : names.female)],
      family: random.pick(names.family),
    };
  }
  const faker = language === 'es' ? random.fakerEs : random.faker;
  const given = [faker.person.firstName(sex)];
  const middle = faker.person.firstName(sex);
  if (random.chance(0.3) && middle !== given[0]) given.push(middle);
  return { given, family: faker.person.lastName() };
}

function randomAge(random: SeedRandom): number {
  return random.weighted([
    { value: random.int(1, 17), weight: 12 },
    { value: random.int(18, 64), weight: 55 },
    { value: random.int(65, 95), weight: 33 },
  ]);
}

function pickCity(random: SeedRandom): CityDef {
  return random.weighted(
    CITIES.map((city) => ({ value: city, weight: city.timeZone === CLINIC_TIME_ZONE ? 3 : 1 })),
  );
}

/** Builds the demographic profiles of `count` patients: the featured ones first, then random ones. */
export function buildPatientProfiles(random: SeedRandom, count: number): PatientProfile[] {
  const book = new ContactBook(random);
  const profiles: PatientProfile[] = [];
  for (let index = 0; index < count; index += 1) {
    const featured = FEATURED_PATIENTS[index];
    const gender =
      featured?.gender ??
      random.weighted([
        { value: AdministrativeGender.FEMALE, weight: 50 },
        { value: AdministrativeGender.MALE, weight: 48 },
        { value: AdministrativeGender.OTHER, weight: 2 },
      ]);
    const language =
      featured?.language ??
      random.weighted([
        { value: 'en', weight: 80 },
        { value: 'es', weight: 14 },
        { value: 'vi', weight: 3 },
        { value: 'zh', weight: 3 },
      ]);
    const name = featured
      ? { given: [...featured.given], family: featured.family }
      : randomName(random, language, gender);
    const age = featured?.age ?? randomAge(random);
    const city = featured ? CITIES[featured.cityIndex] : pickCity(random);
    const line = [random.faker.location.streetAddress()];
    if (random.chance(0.15))
      line.push(`Apt ${random.int(1, 24)}${random.pick(['A', 'B', 'C', 'D'])}`);
    const adult = age >= 18;
    const hasMobile = adult && (age < 80 || random.chance(0.6));
    const profile: PatientProfile = {
      index,
      given: name.given,
      family: name.family,
      gender,
      age,
      birthOffsetDays: random.int(1, 360),
      language,
      city,
      line,
      postalCode: `${city.zipPrefix}${random.digits(2)}`,
      mobile: hasMobile ? book.phone(city.areaCode) : undefined,
      homePhone: !hasMobile || random.chance(0.3) ? book.phone(city.areaCode) : undefined,
      email:
        adult && (index === 0 || random.chance(0.88))
          ? book.email(name.given[0], name.family)
          : undefined,
      smsVerifiedDaysAgo: random.chance(0.7) ? random.int(5, 700) : undefined,
      emailVerifiedDaysAgo: random.chance(0.6) ? random.int(5, 700) : undefined,
      mrn: `MRN${String(1001 + index).padStart(7, '0')}`,
      ssn: book.ssn(),
      registeredDaysAgo: random.int(400, 3000),
      conditions: featured ? [...featured.conditions] : undefined,
      primaryTeam: featured?.primaryTeam,
    };
    if (index === 0)
      profile.email = `${asciiSlug(name.given[0])}.${asciiSlug(name.family)}@${DEMO_TENANT.slug}.example`;
    const relationship = !adult
      ? 'GUARD'
      : (age >= 70 && random.chance(0.55)) || random.chance(0.05)
        ? 'CAREGIVER'
        : undefined;
    if (relationship) {
      const relatedName = randomName(
        random,
        language === 'vi' || language === 'zh' ? 'en' : language,
        random.pick([AdministrativeGender.FEMALE, AdministrativeGender.MALE]),
      );
      const family =
        relationship === 'GUARD' || random.chance(0.7) ? name.family : relatedName.family;
      profile.related = {
        relationship,
        given: relatedName.given[0],
        family,
        mobile: book.phone(city.areaCode),
        email: book.email(relatedName.given[0], family),
        proxyAccess: relationship === 'GUARD' || random.chance(0.7),
      };
    }
    profiles.push(profile);
  }
  return profiles;
}

/** The ISO birth date of a profile as of `now`. */
export function birthDateOf(profile: PatientProfile, now: Date): string {
  const anniversary = new Date(
    Date.UTC(now.getUTCFullYear() - profile.age, now.getUTCMonth(), now.getUTCDate()),
  );
  return isoDate(addDays(anniversary, -profile.birthOffsetDays));
}

/** When the patient joined the clinic (never before birth). */
export function registeredAtOf(profile: PatientProfile, now: Date): Date {
  const registered = addDays(now, -profile.registeredDaysAgo);
  const born = new Date(`${birthDateOf(profile, now)}T12:00:00Z`);
  return registered < born ? addDays(born, 7) : registered;
}

function telecomOf(profile: PatientProfile, now: Date): ContactPoint[] {
  const telecom: ContactPoint[] = [];
  const smsVerified =
    profile.smsVerifiedDaysAgo === undefined
      ? undefined
      : addDays(now, -profile.smsVerifiedDaysAgo);
  if (profile.mobile) {
    telecom.push(
      contactPoint(
        ContactPointSystem.PHONE,
        profile.mobile,
        ContactPointUse.MOBILE,
        1,
        smsVerified,
      ),
    );
    telecom.push(
      contactPoint(ContactPointSystem.SMS, profile.mobile, ContactPointUse.MOBILE, 1, smsVerified),
    );
  }
  if (profile.homePhone)
    telecom.push(
      contactPoint(
        ContactPointSystem.PHONE,
        profile.homePhone,
        ContactPointUse.HOME,
        profile.mobile ? 2 : 1,
      ),
    );
  if (profile.email) {
    const verified =
      profile.emailVerifiedDaysAgo === undefined
        ? undefined
        : addDays(now, -profile.emailVerifiedDaysAgo);
    telecom.push(
      contactPoint(ContactPointSystem.EMAIL, profile.email, ContactPointUse.HOME, 1, verified),
    );
  }
  return telecom;
}

/** A patient with its identifiers and related person, as created entities. */
export interface SeededPatient {
  profile: PatientProfile;
  patient: Patient;
  related?: RelatedPerson;
  birthDate: string;
  registeredAt: Date;
}

/** Creates the Patient, its MRN and SSN identifiers and its RelatedPerson (if any). */
export function createPatient(
  em: EntityManager,
  tenantId: string,
  profile: PatientProfile,
  now: Date,
): SeededPatient {
  const birthDate = birthDateOf(profile, now);
  const registeredAt = registeredAtOf(profile, now);
  const address = usAddress({
    line: profile.line,
    city: profile.city.city,
    state: profile.city.state,
    postalCode: profile.postalCode,
  });
  const patient = em.create(Patient, {
    tenantId,
    names: [humanName({ family: profile.family, given: profile.given })],
    gender: profile.gender,
    birthDate,
    telecom: telecomOf(profile, now),
    address: [address],
    preferredLanguage: profile.language,
    timeZone: profile.city.timeZone,
  });
  em.create(PatientIdentifier, {
    tenantId,
    patient,
    system: IDENTIFIER_SYSTEMS.mrn,
    value: profile.mrn,
    type: 'MR',
    assigner: DEMO_TENANT.name,
    use: 'usual',
  });
  em.create(PatientIdentifier, {
    tenantId,
    patient,
    system: IDENTIFIER_SYSTEMS.ssn,
    value: profile.ssn,
    type: 'SS',
    assigner: 'Social Security Administration',
    use: 'official',
  });
  let related: RelatedPerson | undefined;
  if (profile.related) {
    const info = profile.related;
    related = em.create(RelatedPerson, {
      tenantId,
      patient,
      relationship: info.relationship,
      name: humanName({ family: info.family, given: [info.given] }),
      telecom: [
        contactPoint(ContactPointSystem.PHONE, info.mobile, ContactPointUse.MOBILE, 1),
        contactPoint(ContactPointSystem.SMS, info.mobile, ContactPointUse.MOBILE, 1),
        contactPoint(ContactPointSystem.EMAIL, info.email, ContactPointUse.HOME, 2),
      ],
      address:
        info.relationship === 'GUARD'
          ? [
              usAddress({
                line: profile.line,
                city: profile.city.city,
                state: profile.city.state,
                postalCode: profile.postalCode,
              }),
            ]
          : [],
      periodStart: registeredAt,
    });
  }
  return { profile, patient, related, birthDate, registeredAt };
}
