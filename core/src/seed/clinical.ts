import type { EntityManager } from '@mikro-orm/sql';
import {
  AllergyClinicalStatus,
  AllergyCriticality,
  AllergyIntolerance,
  Condition,
  ConditionClinicalStatus,
  Coverage,
  CoverageStatus,
  Immunization,
  ImmunizationStatus,
  MedicationRequest,
  MedicationRequestStatus,
  MedicationStatement,
  MedicationStatementStatus,
  VerificationStatus,
  type Practitioner,
} from '@caregraph/schema';
import {
  ALLERGIES,
  CONDITIONS,
  MEDICATIONS,
  SYSTEMS,
  VACCINES,
  type ConditionDef,
  type ConditionKey,
} from './catalog.js';
import { PAYERS } from './programs.js';
import type { SeededPatient } from './patients.js';
import { addDays, isoDate, type SeedRandom } from './random.js';
import { coded } from './values.js';

/** What every record builder needs. */
export interface SeedScope {
  em: EntityManager;
  tenantId: string;
  now: Date;
  random: SeedRandom;
}

/** A condition given to a patient, with its dates (used by care plans and team enrolment). */
export interface AssignedCondition {
  def: ConditionDef;
  onset: Date;
  active: boolean;
}

function latest(a: Date, b: Date): Date {
  return a > b ? a : b;
}

/** Picks 1-3 problems for a patient (children 1-2), honouring a fixed list when given. */
export function chooseConditions(
  random: SeedRandom,
  age: number,
  fixed?: readonly ConditionKey[],
): ConditionDef[] {
  if (fixed) return fixed.map((key) => CONDITIONS.find((def) => def.key === key)!).filter(Boolean);
  const child = age < 18;
  const eligible = CONDITIONS.filter(
    (def) => age >= def.minAge && (child ? (def.childWeight ?? 0) : def.weight) > 0,
  );
  const count = child
    ? random.int(1, 2)
    : random.weighted([
        { value: 1, weight: age < 40 ? 50 : 25 },
        { value: 2, weight: 40 },
        { value: 3, weight: age < 40 ? 10 : 35 },
      ]);
  const chosen: ConditionDef[] = [];
  while (chosen.length < count) {
    const remaining = eligible.filter((def) => !chosen.includes(def));
    if (remaining.length === 0) break;
    chosen.push(
      random.weighted(
        remaining.map((def) => ({
          value: def,
          weight: child ? (def.childWeight ?? 0) : def.weight,
        })),
      ),
    );
  }
  return chosen;
}

/** Creates Condition rows; returns them with their onset dates. */
export function createConditions(
  scope: SeedScope,
  seeded: SeededPatient,
  defs: readonly ConditionDef[],
): AssignedCondition[] {
  const { em, tenantId, now, random } = scope;
  const ageDays = Math.max(
    0,
    Math.floor((now.getTime() - Date.parse(`${seeded.birthDate}T00:00:00Z`)) / 86_400_000),
  );
  return defs.map((def) => {
    const onset = def.chronic
      ? addDays(
          now,
          -random.int(Math.min(90, ageDays - 30), Math.max(90, Math.min(ageDays - 30, 5000))),
        )
      : addDays(now, -random.int(30, Math.max(31, Math.min(ageDays - 30, 700))));
    const recordedAt = addDays(onset, random.int(0, 21));
    em.create(Condition, {
      tenantId,
      patient: seeded.patient,
      code: coded(SYSTEMS.snomed, def),
      clinicalStatus: def.chronic
        ? ConditionClinicalStatus.ACTIVE
        : ConditionClinicalStatus.RESOLVED,
      verificationStatus: VerificationStatus.CONFIRMED,
      category: 'problem-list-item',
      severity:
        def.chronic && random.chance(0.6) ? random.pick(['mild', 'moderate', 'severe']) : undefined,
      onsetDate: isoDate(onset),
      abatementDate: def.chronic ? undefined : isoDate(addDays(onset, random.int(7, 21))),
      recordedAt: recordedAt > now ? now : recordedAt,
      securityLabels: [...(def.securityLabels ?? [])],
    });
    return { def, onset, active: def.chronic };
  });
}

/** Creates 0-3 MedicationStatements for treated conditions, and MedicationRequests for most active ones. */
export function createMedications(
  scope: SeedScope,
  seeded: SeededPatient,
  conditions: readonly AssignedCondition[],
  prescriberFor: (condition: ConditionKey) => Practitioner,
): void {
  const { em, tenantId, now, random } = scope;
  const taken = new Set<string>();
  let count = 0;
  for (const condition of conditions) {
    if (!condition.active || count >= 3) continue;
    const options = MEDICATIONS.filter(
      (med) => med.for === condition.def.key && !taken.has(med.code),
    );
    if (options.length === 0 || !random.chance(0.8)) continue;
    const med = random.pick(options);
    taken.add(med.code);
    count += 1;
    const medication = coded(SYSTEMS.rxnorm, med);
    const start = addDays(condition.onset, random.int(0, 30));
    const stopped = random.chance(0.1);
    em.create(MedicationStatement, {
      tenantId,
      patient: seeded.patient,
      medication,
      status: stopped ? MedicationStatementStatus.STOPPED : MedicationStatementStatus.ACTIVE,
      dosageText: med.dosageText,
      effectiveStart: start > now ? now : start,
      effectiveEnd: stopped ? addDays(now, -random.int(10, 120)) : undefined,
      note: stopped ? 'Stopped by prescriber; see progress note.' : undefined,
    });
    if (stopped || !random.chance(0.65)) continue;
    const daysSupply = random.pick([30, 90]);
    em.create(MedicationRequest, {
      tenantId,
      patient: seeded.patient,
      medication: coded(SYSTEMS.rxnorm, med),
      status: MedicationRequestStatus.ACTIVE,
      intent: 'order',
      dosageText: med.dosageText,
      quantity: med.unitsPer30Days * (daysSupply / 30),
      daysSupply,
      refillsAllowed: random.int(0, 5),
      authoredOn: latest(addDays(now, -random.int(3, daysSupply + 60)), start > now ? now : start),
      requester: prescriberFor(condition.def.key),
      securityLabels: [...(med.securityLabels ?? [])],
    });
  }
}

/** Creates 0-2 allergies. */
export function createAllergies(scope: SeedScope, seeded: SeededPatient): void {
  const { em, tenantId, now, random } = scope;
  const count = random.weighted([
    { value: 0, weight: 55 },
    { value: 1, weight: 35 },
    { value: 2, weight: 10 },
  ]);
  for (const allergy of random.sample(ALLERGIES, count)) {
    const recordedAt = addDays(seeded.registeredAt, random.int(0, 60));
    em.create(AllergyIntolerance, {
      tenantId,
      patient: seeded.patient,
      code: coded(SYSTEMS.snomed, allergy),
      clinicalStatus: AllergyClinicalStatus.ACTIVE,
      verificationStatus: random.chance(0.9)
        ? VerificationStatus.CONFIRMED
        : VerificationStatus.UNCONFIRMED,
      type: allergy.type,
      category: allergy.category,
      criticality:
        allergy.highRisk && random.chance(0.6) ? AllergyCriticality.HIGH : AllergyCriticality.LOW,
      reaction: random.pick(allergy.reactions),
      recordedAt: recordedAt > now ? now : recordedAt,
    });
  }
}

/** Creates the patient's insurance coverage. */
export function createCoverage(scope: SeedScope, seeded: SeededPatient, age: number): void {
  const { em, tenantId, now, random } = scope;
  const band = age < 18 ? 'child' : age >= 65 ? 'senior' : 'adult';
  const preferred = PAYERS.filter((payer) => payer.ages === band);
  const fallback = PAYERS.filter((payer) => payer.ages === 'any');
  const payer =
    preferred.length > 0 && random.chance(band === 'adult' ? 0.6 : 0.7)
      ? random.pick(preferred)
      : random.pick(fallback);
  const commercial = payer.type.code === 'HIP';
  const year = now.getUTCFullYear();
  em.create(Coverage, {
    tenantId,
    patient: seeded.patient,
    status: CoverageStatus.ACTIVE,
    type: coded(payer.type.system, payer.type),
    payor: payer.payor,
    planName: random.pick(payer.plans),
    memberId: `${payer.memberPrefix}${random.digits(9)}`,
    groupNumber: commercial ? `GRP-${random.digits(6)}` : undefined,
    relationship: age < 18 ? 'child' : commercial && random.chance(0.15) ? 'spouse' : 'self',
    periodStart: commercial ? `${year}-01-01` : isoDate(seeded.registeredAt),
    periodEnd: commercial ? `${year}-12-31` : undefined,
  });
}

/** Creates 1-2 immunizations suitable for the patient's age. */
export function createImmunizations(scope: SeedScope, seeded: SeededPatient, age: number): void {
  const { em, tenantId, now, random } = scope;
  const eligible = VACCINES.filter((vaccine) => age >= vaccine.minAge && age <= vaccine.maxAge);
  const born = Date.parse(`${seeded.birthDate}T00:00:00Z`);
  for (const vaccine of random.sample(eligible, random.int(1, 2))) {
    const daysAgo = vaccine.code === '140' ? random.int(20, 300) : random.int(30, 1500);
    let occurrenceAt = addDays(now, -daysAgo);
    if (occurrenceAt.getTime() < born + 300 * 86_400_000)
      occurrenceAt = new Date(born + random.int(300, 360) * 86_400_000);
    em.create(Immunization, {
      tenantId,
      patient: seeded.patient,
      vaccineCode: coded(SYSTEMS.cvx, vaccine),
      status: ImmunizationStatus.COMPLETED,
      occurrenceAt,
      lotNumber: `${random.code(2)}${random.digits(4)}`,
      site: vaccine.site,
      route: vaccine.route,
      doseNumber: vaccine.code === '208' ? random.int(1, 3) : 1,
    });
  }
}
