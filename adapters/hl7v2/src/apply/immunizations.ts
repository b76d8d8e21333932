import { CodedConcept, Immunization, type Patient } from '@caregraph/schema';
import type { ImmunizationRecord, ImmunizationsRecord } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';
import { applyPatient } from './patients.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar date of an instant in a time zone (`YYYY-MM-DD`). */
function dateIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * The patient's immunization with the same vaccine code given on the same calendar date (in the
 * adapter's default time zone), whatever its status: RXA-3 sent once as a date and once as a
 * date and time is the same vaccination.
 */
async function findImmunization(state: ApplyState, patient: Patient, record: ImmunizationRecord) {
  const at = record.occurrenceAt;
  const candidates = await state.em.find(
    Immunization,
    {
      patient,
      vaccineCode: { system: record.vaccineCode.system, code: record.vaccineCode.code },
      occurrenceAt: { $gt: new Date(at.getTime() - DAY_MS), $lt: new Date(at.getTime() + DAY_MS) },
    },
    { orderBy: { createdAt: 'asc' } },
  );
  const exact = candidates.find((c) => c.occurrenceAt.getTime() === at.getTime());
  if (exact) return exact;
  const day = dateIn(at, state.config.defaultTimeZone);
  return candidates.find((c) => dateIn(c.occurrenceAt, state.config.defaultTimeZone) === day);
}

/**
 * VXU^V04: the patient's vaccinations. Each RXA is matched by patient, vaccine code and
 * occurrence date, so a resent vaccination history adds nothing. RXA-21 A (or empty) and U add
 * or update it; D marks a stored one `entered-in-error` (a deletion of a vaccination never
 * stored changes nothing, so a history that lists it still applies).
 */
export async function applyImmunizations(
  record: ImmunizationsRecord,
  state: ApplyState,
): Promise<void> {
  const patient = await applyPatient(state, record.patient);
  for (const item of record.immunizations) {
    const found = await findImmunization(state, patient, item);
    if (!found && item.action === 'delete') continue;
    const immunization =
      found ??
      state.em.create(Immunization, {
        tenantId: state.config.tenantId,
        patient,
        vaccineCode: Object.assign(new CodedConcept(), item.vaccineCode),
        occurrenceAt: item.occurrenceAt,
        status: item.status,
      });
    const changed = assignChanges(
      immunization,
      item.action === 'delete'
        ? { status: item.status }
        : {
            status: item.status,
            vaccineCode: Object.assign(new CodedConcept(), item.vaccineCode),
            lotNumber: item.lotNumber,
            site: item.site,
            route: item.route,
          },
    );
    state.wrote('Immunization', immunization.id, { created: !found, changed });
  }
}
