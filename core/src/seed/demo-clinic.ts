import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import {
  CareTeam,
  CareTeamMember,
  CareTeamPatient,
  ContactPointSystem,
  ContactPointUse,
  Practitioner,
  Role,
  Tenant,
  User,
  UserKind,
} from '@caregraph/schema';
import { keyringOf } from '../crypto/keyring-registry.js';
import { ConflictError, EncryptionError } from '../errors/caregraph-error.js';
import { SYSTEMS, type ConditionKey } from './catalog.js';
import {
  chooseConditions,
  createAllergies,
  createConditions,
  createCoverage,
  createImmunizations,
  createMedications,
  type AssignedCondition,
  type SeedScope,
} from './clinical.js';
import { createCarePlan, createCommunications, createConsents, createTasks } from './engagement.js';
import { createObservations } from './observations.js';
import { buildPatientProfiles, createPatient, type SeededPatient } from './patients.js';
import {
  CARE_TEAMS,
  DEMO_EMAIL_DOMAIN,
  DEMO_TENANT,
  INTEGRATION_USER,
  PRACTITIONER_ROLE,
  PRACTITIONERS,
  STAFF_USERS,
  type CareTeamDef,
} from './people.js';
import { addDays, asciiSlug, CLINICAL_SEED, PEOPLE_SEED, SeedRandom } from './random.js';
import { createSchedule, SlotBook } from './schedule.js';
import { coded, contactPoint, humanName } from './values.js';
import { withSystemScope } from '../db/tenant-scope.js';

/** A user account created by the seeder. */
export interface SeededUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
}

/** What `seedDemoClinic` created. */
export interface DemoClinicSeed {
  tenantId: string;
  tenantSlug: string;
  /** In creation order: the first user of each role is the one dev tooling picks for it. */
  users: SeededUser[];
  patientCount: number;
}

/** Options of `seedDemoClinic`. */
export interface SeedDemoClinicOptions {
  /** Number of patients (default 50). The first eight are always the same hand-written ones. */
  patientCount?: number;
  /** Reference time for every date (default: now), so tests can pin it. */
  now?: Date;
  /** Pinned ids (default: random), so a test can configure a plugin before the seed exists. */
  ids?: DemoClinicIds;
}

/** Ids of the demo clinic that a caller may choose. */
export interface DemoClinicIds {
  tenantId?: string;
  /** The integration account (what an adapter acts as). */
  integrationUserId?: string;
}

/**
 * Order in which user accounts are created (their `createdAt` follows it): the first user of
 * each role is the sensible default, e.g. the family-medicine physician and the nurse of the
 * first patient's team.
 */
const USER_ORDER = [
  'staff:admin',
  'practitioner:bennett',
  'practitioner:kim',
  'practitioner:schultz',
  'staff:maya.patel',
  'staff:robert.walsh',
  'staff:ethan.brooks',
  'patient',
  'integration',
  'practitioner:reyes',
  'practitioner:raman',
  'practitioner:okafor',
  'practitioner:fernandez',
  'practitioner:adeyemi',
  'proxy',
] as const;

/** A 10-digit NPI-shaped number whose last digit is the NPI (Luhn, prefix 80840) check digit. */
export function npiWithCheckDigit(nineDigits: string): string {
  const digits = `80840${nineDigits}`.split('').map(Number);
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits[digits.length - 1 - i];
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${nineDigits}${(10 - (sum % 10)) % 10}`;
}

/** true when the database has no tenant yet (the hub seeds only then). */
export async function isDatabaseEmpty(orm: MikroORM): Promise<boolean> {
  return withSystemScope(async () => {
    const em = orm.em.fork({ clear: true });
    return (await em.count(Tenant, {})) === 0;
  });
}

/**
 * Seeds the demo clinic (tenant slug `demo-clinic`) in one transaction: practitioners, care
 * teams, users of every role, and patients with identifiers, problems, medications, allergies,
 * coverage, immunizations, results, visits, appointments, care plans, tasks, consents and
 * messages. Deterministic (seeded Faker streams): names and identifiers are the same on every
 * run; dates are relative to `options.now`. Throws a ConflictError if the tenant exists. The ORM
 * needs a keyring (`createOrm(target, { keyring })`): the tenant's keys are created with it.
 */
export async function seedDemoClinic(
  orm: MikroORM,
  options: SeedDemoClinicOptions = {},
): Promise<DemoClinicSeed> {
  return withSystemScope(async () => {
    const now = options.now ?? new Date();
    const patientCount = options.patientCount ?? 50;
    if (!Number.isInteger(patientCount) || patientCount < 1)
      throw new RangeError('patientCount must be a positive integer');
    const tenantId = options.ids?.tenantId ?? randomUUID();
    const em = orm.em.fork({ clear: true });
    em.setFilterParams('tenant', { tenantId });
    if ((await em.count(Tenant, { slug: DEMO_TENANT.slug })) > 0) {
      throw ConflictError.because(
        `Tenant ${DEMO_TENANT.slug} already exists; the demo clinic is seeded only once.`,
        { slug: DEMO_TENANT.slug },
      );
    }
    const keyring = keyringOf(orm.em);
    if (!keyring) throw EncryptionError.keyUnavailable(tenantId);
    const users = await em.transactional(async (tx) => {
      // The tenant's data and blind-index keys; sensitive fields are encrypted as they are flushed.
      await keyring.createTenantKeys(tx as EntityManager, tenantId);
      const scope: SeedScope = {
        em: tx as EntityManager,
        tenantId,
        now,
        random: new SeedRandom(CLINICAL_SEED),
      };
      return seedInto(scope, patientCount, options.ids?.integrationUserId);
    });
    return { tenantId, tenantSlug: DEMO_TENANT.slug, users, patientCount };
  });
}

async function seedInto(
  scope: SeedScope,
  patientCount: number,
  integrationUserId?: string,
): Promise<SeededUser[]> {
  const { em, tenantId, now, random } = scope;
  em.create(Tenant, {
    id: tenantId,
    slug: DEMO_TENANT.slug,
    name: DEMO_TENANT.name,
    createdAt: now,
  });

  const practitioners = new Map<string, Practitioner>();
  PRACTITIONERS.forEach((def, index) => {
    const email = `${asciiSlug(def.given[0])}.${asciiSlug(def.family)}@${DEMO_EMAIL_DOMAIN}`;
    const practitioner = em.create(Practitioner, {
      tenantId,
      name: humanName({
        family: def.family,
        given: def.given,
        prefix: def.prefix,
        suffix: def.suffix,
      }),
      npi: npiWithCheckDigit(`1${random.digits(8)}`),
      specialty: coded(SYSTEMS.snomed, def.specialty),
      telecom: [
        contactPoint(ContactPointSystem.PHONE, `+18725550${110 + index}`, ContactPointUse.WORK, 1),
        contactPoint(ContactPointSystem.EMAIL, email, ContactPointUse.WORK, 2),
      ],
    });
    practitioners.set(def.key, practitioner);
  });

  const teams = new Map<string, CareTeam>();
  CARE_TEAMS.forEach((def, index) => {
    const team = em.create(CareTeam, {
      tenantId,
      name: def.name,
      description: def.description,
      category: coded(SYSTEMS.loinc, def.category),
    });
    teams.set(def.key, team);
    for (const member of def.members) {
      em.create(CareTeamMember, {
        tenantId,
        careTeam: team,
        practitioner: practitioners.get(member.practitioner)!,
        role: coded(SYSTEMS.snomed, member.role),
        periodStart: addDays(now, -1500 + index * 60),
      });
    }
  });

  const userStamp = (key: (typeof USER_ORDER)[number]) =>
    new Date(now.getTime() - (USER_ORDER.length - USER_ORDER.indexOf(key)) * 1000);
  const seededUsers = new Map<string, User>();
  for (const staff of STAFF_USERS) {
    const user = em.create(User, {
      tenantId,
      email: `${staff.local}@${DEMO_EMAIL_DOMAIN}`,
      displayName: staff.displayName,
      kind: UserKind.STAFF,
      roles: [staff.role],
      createdAt: userStamp(`staff:${staff.local}` as (typeof USER_ORDER)[number]),
    });
    seededUsers.set(`staff:${staff.local}`, user);
  }
  for (const def of PRACTITIONERS) {
    const practitioner = practitioners.get(def.key)!;
    const user = em.create(User, {
      tenantId,
      email: `${asciiSlug(def.given[0])}.${asciiSlug(def.family)}@${DEMO_EMAIL_DOMAIN}`,
      displayName: practitioner.name.text(),
      kind: UserKind.PRACTITIONER,
      roles: [PRACTITIONER_ROLE[def.kind]],
      practitioner,
      createdAt: userStamp(`practitioner:${def.key}` as (typeof USER_ORDER)[number]),
    });
    seededUsers.set(`practitioner:${def.key}`, user);
  }
  seededUsers.set(
    'integration',
    em.create(User, {
      ...(integrationUserId ? { id: integrationUserId } : {}),
      tenantId,
      email: INTEGRATION_USER.email,
      displayName: INTEGRATION_USER.displayName,
      kind: UserKind.INTEGRATION,
      roles: [Role.INTEGRATION],
      createdAt: userStamp('integration'),
    }),
  );

  const frontDesk = seededUsers.get('staff:maya.patel')!;
  const coordinatorUser = seededUsers.get('practitioner:schultz')!;
  const slots = new SlotBook(random, now);
  const profiles = buildPatientProfiles(new SeedRandom(PEOPLE_SEED), patientCount);
  let firstPatient: SeededPatient | undefined;
  let firstProxied: SeededPatient | undefined;
  for (const profile of profiles) {
    const seeded = createPatient(em, tenantId, profile, now);
    firstPatient ??= seeded;
    if (seeded.related && profile.related?.proxyAccess) firstProxied ??= seeded;
    seedPatientRecords(scope, seeded, {
      practitioners,
      teams,
      slots,
      frontDeskUserId: frontDesk.id,
      requesterUserId: coordinatorUser.id,
    });
  }

  const patient = firstPatient!;
  const patientName = patient.patient.names[0];
  seededUsers.set(
    'patient',
    em.create(User, {
      tenantId,
      email: patient.profile.email ?? `patient@${DEMO_EMAIL_DOMAIN}`,
      displayName: [...patientName.given, patientName.family].join(' '),
      kind: UserKind.PATIENT,
      roles: [Role.PATIENT],
      patient: patient.patient,
      createdAt: userStamp('patient'),
    }),
  );

  // A caregiver with proxy access signs in to the portal for the patient they look after.
  const proxied = firstProxied!;
  seededUsers.set(
    'proxy',
    em.create(User, {
      tenantId,
      email: `${asciiSlug(proxied.profile.related!.given)}.${asciiSlug(proxied.profile.related!.family)}.caregiver@${DEMO_EMAIL_DOMAIN}`,
      displayName: `${proxied.profile.related!.given} ${proxied.profile.related!.family}`,
      kind: UserKind.RELATED_PERSON,
      roles: [Role.PATIENT],
      relatedPerson: proxied.related,
      createdAt: userStamp('proxy'),
    }),
  );

  return USER_ORDER.map((key) => {
    const user = seededUsers.get(key)!;
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      roles: [...user.roles],
    };
  });
}

interface ClinicRefs {
  practitioners: Map<string, Practitioner>;
  teams: Map<string, CareTeam>;
  slots: SlotBook;
  frontDeskUserId: string;
  requesterUserId: string;
}

/** The patient's condition-focused team, if any (diabetes first, then behavioral health, then cardiology). */
function secondTeam(
  scope: SeedScope,
  conditions: readonly AssignedCondition[],
): CareTeamDef | undefined {
  const keys = new Set<ConditionKey>(
    conditions.filter((condition) => condition.active).map((condition) => condition.def.key),
  );
  const [cardiology, diabetes, behavioral] = ['cardiology', 'diabetes', 'behavioral'].map((key) =>
    CARE_TEAMS.find((team) => team.key === key)!,
  );
  if (diabetes.conditions.some((key) => keys.has(key))) return diabetes;
  if (behavioral.conditions.some((key) => keys.has(key))) return behavioral;
  if (keys.has('atrialFibrillation')) return cardiology;
  if ((keys.has('hypertension') || keys.has('hyperlipidemia')) && scope.random.chance(0.35))
    return cardiology;
  return undefined;
}

function seedPatientRecords(scope: SeedScope, seeded: SeededPatient, refs: ClinicRefs): void {
  const { em, tenantId, now, random } = scope;
  const { profile, patient } = seeded;
  const conditions = createConditions(
    scope,
    seeded,
    chooseConditions(random, profile.age, profile.conditions),
  );

  const primaryKey = profile.primaryTeam ?? (random.chance(0.5) ? 'pc-a' : 'pc-b');
  const primary = CARE_TEAMS.find((team) => team.key === primaryKey)!;
  const second = secondTeam(scope, conditions);
  const teamDefs = second ? [primary, second] : [primary];
  for (const [index, def] of teamDefs.entries()) {
    const since = index === 0 ? seeded.registeredAt : addDays(now, -random.int(20, 400));
    em.create(CareTeamPatient, {
      tenantId,
      patient,
      careTeam: refs.teams.get(def.key)!,
      periodStart: since < seeded.registeredAt ? seeded.registeredAt : since,
    });
  }

  const practitionerOf = (key: string) => refs.practitioners.get(key)!;
  const schedulable = new Set(PRACTITIONERS.filter((def) => def.schedulable).map((def) => def.key));
  const clinicianKeys = [
    ...new Set(teamDefs.flatMap((def) => def.members.map((member) => member.practitioner))),
  ].filter((key) => schedulable.has(key));
  const clinicians = clinicianKeys.map(practitionerOf);
  const lead = practitionerOf(primary.members[0].practitioner);
  const prescriberFor = (condition: ConditionKey): Practitioner => {
    const specialist = second?.conditions.includes(condition)
      ? second.members[0].practitioner
      : undefined;
    return specialist ? practitionerOf(specialist) : lead;
  };

  createMedications(scope, seeded, conditions, prescriberFor);
  createAllergies(scope, seeded);
  createCoverage(scope, seeded, profile.age);
  createImmunizations(scope, seeded, profile.age);
  const schedule = createSchedule(
    scope,
    refs.slots,
    seeded,
    clinicians,
    conditions,
    profile.index === 0 ? practitionerOf('bennett') : undefined,
  );
  const labs = createObservations(scope, seeded, conditions, schedule.encounters);
  const carePlan = createCarePlan(scope, seeded, conditions, prescriberFor);
  const owners = primary.members
    .map((member) => practitionerOf(member.practitioner))
    .filter((practitioner) => practitioner !== lead);
  createTasks(scope, seeded, conditions, schedule.past, {
    owners,
    team: refs.teams.get(primary.key)!,
    carePlan,
    requesterUserId: refs.requesterUserId,
  });
  const channels = createConsents(scope, seeded, refs.frontDeskUserId);
  const messaged = [...schedule.past, ...schedule.future].filter(
    (appointment) => !appointment.cancelledAt,
  );
  createCommunications(scope, seeded, channels, messaged, labs);
}
