import {
  EncounterClass,
  Observation,
  ObservationCategory,
  ObservationStatus,
  type Encounter,
} from '@caregraph/schema';
import { SYSTEMS, type ConditionKey } from './catalog.js';
import { LAB_TESTS, PHQ9, VITAL_SIGNS, type MeasureDef } from './measures.js';
import type { AssignedCondition, SeedScope } from './clinical.js';
import type { SeededPatient } from './patients.js';
import { addDays, addMinutes, type SeedRandom } from './random.js';
import { coded } from './values.js';

/** v3 ObservationInterpretation of a value against a reference range. */
export function interpret(value: number, def: Pick<MeasureDef, 'low' | 'high'>): 'L' | 'H' | 'N' {
  if (def.low !== undefined && value < def.low) return 'L';
  if (def.high !== undefined && value > def.high) return 'H';
  return 'N';
}

function rangeText(def: MeasureDef): string {
  const fixed = (value: number) => value.toFixed(def.decimals);
  if (def.low !== undefined && def.high !== undefined)
    return `${fixed(def.low)}-${fixed(def.high)} ${def.unit}`;
  if (def.high !== undefined) return `<=${fixed(def.high)} ${def.unit}`;
  return `>=${fixed(def.low ?? 0)} ${def.unit}`;
}

function drawValue(
  random: SeedRandom,
  def: MeasureDef,
  conditions: ReadonlySet<ConditionKey>,
): number {
  const affected = def.abnormal && def.abnormalFor?.some((key) => conditions.has(key));
  const uncontrolled = affected
    ? random.chance(0.75)
    : random.chance(0.06) && def.abnormal !== undefined;
  const [min, max] = uncontrolled && def.abnormal ? def.abnormal : def.normal;
  return random.float(min, max, def.decimals);
}

interface MeasureOptions {
  category: ObservationCategory;
  effectiveAt: Date;
  encounter?: Encounter;
  status?: ObservationStatus;
  issuedAt?: Date;
  releasedToPatient: boolean;
  securityLabels?: string[];
}

function createMeasure(
  scope: SeedScope,
  seeded: SeededPatient,
  def: MeasureDef,
  conditions: ReadonlySet<ConditionKey>,
  options: MeasureOptions,
): Observation {
  const value = drawValue(scope.random, def, conditions);
  return scope.em.create(Observation, {
    tenantId: scope.tenantId,
    patient: seeded.patient,
    encounter: options.encounter,
    status: options.status ?? ObservationStatus.FINAL,
    category: options.category,
    code: coded(SYSTEMS.loinc, def),
    valueQuantity: value,
    unit: def.unit,
    referenceRangeLow: def.low,
    referenceRangeHigh: def.high,
    referenceRangeText: rangeText(def),
    interpretation: interpret(value, def),
    effectiveAt: options.effectiveAt,
    issuedAt: options.issuedAt ?? options.effectiveAt,
    releasedToPatient: options.releasedToPatient,
    securityLabels: [...(options.securityLabels ?? [])],
  });
}

/**
 * Creates 6-15 observations: blood pressure and heart rate at up to two clinic visits, lab
 * results (tests ordered for the patient's conditions first) in the past two years, and a
 * PHQ-9 score for patients with depression. Returns the lab results, newest first.
 */
export function createObservations(
  scope: SeedScope,
  seeded: SeededPatient,
  conditions: readonly AssignedCondition[],
  encounters: readonly Encounter[],
): Observation[] {
  const { now, random } = scope;
  const keys = new Set(
    conditions.filter((condition) => condition.active).map((condition) => condition.def.key),
  );
  const target = random.int(6, 15);
  let created = 0;

  const visits = encounters
    .filter((encounter) => encounter.class === EncounterClass.AMBULATORY)
    .slice(0, 2);
  for (const visit of visits) {
    if (target - created < 6) break;
    const effectiveAt = addMinutes(visit.periodStart, 5);
    for (const def of VITAL_SIGNS) {
      createMeasure(scope, seeded, def, keys, {
        category: ObservationCategory.VITAL_SIGNS,
        effectiveAt,
        encounter: visit,
        releasedToPatient: true,
      });
      created += 1;
    }
  }

  if (keys.has('depression') && target - created > 1) {
    const effectiveAt = addDays(now, -random.int(14, 200));
    createMeasure(scope, seeded, PHQ9, keys, {
      category: ObservationCategory.SURVEY,
      effectiveAt,
      releasedToPatient: false,
      securityLabels: ['PSY'],
    });
    created += 1;
  }

  const ordered = LAB_TESTS.filter((test) => test.orderedFor?.some((key) => keys.has(key)));
  const routine = LAB_TESTS.filter((test) => !ordered.includes(test));
  const draws: Date[] = [];
  const labs: Observation[] = [];
  while (created < target) {
    const daysAgo = draws.length === 0 ? random.int(2, 60) : random.int(61, 720);
    const drawnAt = addDays(now, -daysAgo);
    drawnAt.setUTCHours(random.int(13, 20), random.pick([0, 15, 30, 45]), 0, 0);
    const newest = draws.length === 0;
    draws.push(drawnAt);
    const panel = [...ordered, ...random.sample(routine, random.int(1, 2))].slice(
      0,
      Math.min(4, target - created),
    );
    const preliminary = newest && random.chance(0.25);
    for (const def of panel) {
      const issuedAt = new Date(drawnAt.getTime() + random.int(2, 30) * 3_600_000);
      labs.push(
        createMeasure(scope, seeded, def, keys, {
          category: ObservationCategory.LABORATORY,
          effectiveAt: drawnAt,
          status: preliminary ? ObservationStatus.PRELIMINARY : ObservationStatus.FINAL,
          issuedAt: issuedAt > now ? now : issuedAt,
          releasedToPatient: !preliminary && random.chance(0.9),
        }),
      );
      created += 1;
    }
  }
  return labs.sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime());
}
