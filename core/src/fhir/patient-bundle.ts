import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type * as fhir from 'fhir/r4.js';
import type { PluginFhirResource } from '@caregraph/plugin-sdk';
import {
  AllergyIntolerance,
  Appointment,
  CarePlan,
  CarePlanActivity,
  CarePlanGoal,
  CareTeamMember,
  CareTeamPatient,
  Communication,
  Condition,
  Consent,
  Coverage,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  PatientIdentifier,
  Practitioner,
  Provenance,
  RelatedPerson,
  Task,
} from '@caregraph/schema';
import { patientTargetsSql, withMergedRecords } from '../services/rights/patient-records.js';
import { toFhirCarePlan, toFhirGoal } from './care-plan-resources.js';
import {
  toFhirAllergy,
  toFhirCondition,
  toFhirImmunization,
  toFhirObservation,
} from './clinical-resources.js';
import { toFhirCoverage } from './coverage-resources.js';
import { toFhirAppointment, toFhirEncounter } from './encounter-resources.js';
import { toFhirCommunication, toFhirConsent, toFhirTask } from './engagement-resources.js';
import { ExportRefs } from './export-refs.js';
import { toFhirMedicationRequest, toFhirMedicationStatement } from './medication-resources.js';
import { toFhirPatient, toFhirRelatedPerson } from './patient-resources.js';
import { toFhirProvenance } from './provenance-resources.js';
import { toFhirCareTeam, toFhirPractitioner } from './team-resources.js';

/** Rows read per statement while streaming. */
export const EXPORT_PAGE_SIZE = 250;

/** The plugins' resources of an export (the patient and the records merged into it). */
export type PluginResources = (
  patientIds: readonly string[],
  practitioner: (id: string) => { reference: string },
) => AsyncIterable<PluginFhirResource>;

/** Where the bundle goes: resolves when the chunk is accepted (backpressure). */
export type BundleSink = (chunk: string) => Promise<void>;

type Row = { id: string };
type Mapper<T> = (rows: T[], refs: ExportRefs, em: EntityManager) => Promise<fhir.Resource[]>;

interface RecordSource<T extends Row> {
  entity: EntityClass<T>;
  map: Mapper<T>;
}

function source<T extends Row>(
  entity: EntityClass<T>,
  each: (row: T, refs: ExportRefs) => fhir.Resource,
): RecordSource<T> {
  return { entity, map: async (rows, refs) => rows.map((row) => each(row, refs)) };
}

/** The care plans of one page with their goals and activities (one statement each). */
const carePlans: RecordSource<CarePlan> = {
  entity: CarePlan,
  async map(plans, refs, em) {
    const ids = plans.map((plan) => plan.id);
    const order = { orderBy: { id: 'asc' } } as const;
    const goals = await em.find(CarePlanGoal, { carePlan: { $in: ids } }, order);
    const activities = await em.find(CarePlanActivity, { carePlan: { $in: ids } }, order);
    return plans.flatMap((plan) => {
      const own = goals.filter((goal) => goal.carePlan.id === plan.id);
      const steps = activities.filter((activity) => activity.carePlan.id === plan.id);
      return [
        toFhirCarePlan(plan, own, steps, refs),
        ...own.map((goal) => toFhirGoal(goal, refs)),
      ] as fhir.Resource[];
    });
  },
};

/** The patient's own records, in bundle order (each table read in id order, page by page). */
const RECORD_SOURCES: readonly RecordSource<Row>[] = [
  source(RelatedPerson, (row) => toFhirRelatedPerson(row)),
  source(Encounter, toFhirEncounter),
  source(Appointment, toFhirAppointment),
  source(Observation, toFhirObservation),
  source(Condition, toFhirCondition),
  source(MedicationStatement, toFhirMedicationStatement),
  source(MedicationRequest, toFhirMedicationRequest),
  source(AllergyIntolerance, toFhirAllergy),
  source(Immunization, toFhirImmunization),
  source(Coverage, toFhirCoverage),
  carePlans,
  source(Task, toFhirTask),
  source(Communication, toFhirCommunication),
  source(Consent, toFhirConsent),
] as unknown as RecordSource<Row>[];

/** Reads `entity` rows matching `where` in id order, one page at a time (keyset paging). */
async function* pages<T extends Row>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    em.clear();
    const condition = (after ? { $and: [where, { id: { $gt: after } }] } : where) as FilterQuery<T>;
    const rows = (await em.find(entity, condition, {
      orderBy: { id: 'asc' } as never,
      limit: EXPORT_PAGE_SIZE,
    })) as T[];
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_PAGE_SIZE) return;
    after = rows[rows.length - 1].id;
  }
}

/** The Provenance rows about the patients' records, in id order, one page at a time. */
async function* provenancePages(
  em: EntityManager,
  tenantId: string,
  patientIds: readonly string[],
): AsyncGenerator<Provenance[]> {
  const targets = patientTargetsSql(em, tenantId, patientIds);
  const table = em.getMetadata().get(Provenance).tableName;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from "${table}" where tenant_id = ? and id > ? and target in (${targets.sql})
        order by id limit ?`,
      [tenantId, after, ...targets.params, EXPORT_PAGE_SIZE],
    );
    if (rows.length > 0) yield rows.map((row) => em.map(Provenance, row));
    if (rows.length < EXPORT_PAGE_SIZE) return;
    after = String(rows[rows.length - 1].id);
  }
}

/** The Bundle's opening, up to the first entry. */
function bundleHead(bundleId: string, now: Date): string {
  const head = {
    resourceType: 'Bundle',
    id: bundleId,
    meta: { lastUpdated: now.toISOString() },
    type: 'collection',
    timestamp: now.toISOString(),
  };
  return `${JSON.stringify(head).slice(0, -1)},"entry":[`;
}

/**
 * Streams everything CareGraph holds about a patient as a FHIR R4 Bundle (type `collection`)
 * to `sink`: the Patient (and records merged into it), care-team enrolments, related persons,
 * encounters, appointments, observations, conditions, medications and prescriptions, allergies,
 * immunizations, coverages, care plans with goals, tasks, communications, consents, the
 * plugins' resources about the patient (`pluginResources`), the Provenance of core's records,
 * and last the Practitioners they refer to, so that every reference resolves inside the bundle. Each table is read in pages of EXPORT_PAGE_SIZE rows
 * and written entry by entry: memory stays bounded whatever the size of the record.
 * Returns the number of resources written.
 */
export async function writePatientBundle(
  em: EntityManager,
  options: {
    tenantId: string;
    patientId: string;
    bundleId: string;
    fullUrlBase: string;
    /** The plugins' resources about the patients (`patientData.export`), after core's records. */
    pluginResources?: PluginResources;
  },
  sink: BundleSink,
): Promise<number> {
  const { tenantId, patientId, fullUrlBase } = options;
  const refs = new ExportRefs(patientId);
  let count = 0;
  const emit = async (resource: fhir.Resource) => {
    const entry = { fullUrl: `${fullUrlBase}/${resource.resourceType}/${resource.id}`, resource };
    await sink(`${count === 0 ? '' : ','}\n${JSON.stringify(entry)}`);
    count += 1;
  };
  await sink(bundleHead(options.bundleId, new Date()));

  const patientIds = await withMergedRecords(em, patientId);
  const patients = await em.find(Patient, { id: { $in: patientIds } }, { orderBy: { id: 'asc' } });
  const identifiers = await em.find(PatientIdentifier, { patient: { $in: patientIds } });
  const survivor = patients.find((p) => p.id === patientId)!;
  for (const patient of [survivor, ...patients.filter((p) => p !== survivor)]) {
    const links: { other: string; type: 'replaces' | 'replaced-by' }[] =
      patient === survivor
        ? patients
            .filter((p) => p.replacedBy?.id === patientId)
            .map((p) => ({ other: p.id, type: 'replaces' }))
        : patient.replacedBy
          ? [{ other: patient.replacedBy.id, type: 'replaced-by' }]
          : [];
    const own = identifiers.filter((identifier) => identifier.patient.id === patient.id);
    await emit(toFhirPatient(patient, own, links));
  }

  const enrolments = await em.find(
    CareTeamPatient,
    { patient: patientId },
    { populate: ['careTeam'], orderBy: { id: 'asc' } },
  );
  const teamIds = [...new Set(enrolments.map((e) => e.careTeam.id))];
  const members = await em.find(
    CareTeamMember,
    { careTeam: { $in: teamIds } },
    { orderBy: { id: 'asc' } },
  );
  for (const enrolment of enrolments) refs.careTeams.set(enrolment.careTeam.id, enrolment.id);
  for (const enrolment of enrolments) {
    const own = members.filter((member) => member.careTeam.id === enrolment.careTeam.id);
    await emit(toFhirCareTeam(enrolment, enrolment.careTeam, own, refs));
  }

  for (const { entity, map } of RECORD_SOURCES) {
    for await (const rows of pages(em, entity, { patient: patientId } as FilterQuery<Row>)) {
      for (const resource of await map(rows, refs, em)) await emit(resource);
    }
  }

  const practitioner = (id: string) => refs.practitioner(id) as { reference: string };
  for await (const resource of options.pluginResources?.(patientIds, practitioner) ?? [])
    await emit(resource as unknown as fhir.Resource);

  for await (const rows of provenancePages(em, tenantId, patientIds)) {
    for (const row of rows) await emit(toFhirProvenance(row));
  }

  for await (const rows of pages(em, Practitioner, { id: { $in: [...refs.practitioners] } })) {
    for (const row of rows) await emit(toFhirPractitioner(row));
  }
  await sink('\n]}\n');
  return count;
}
