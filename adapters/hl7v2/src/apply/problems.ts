import { CodedConcept, Condition, VerificationStatus, type Patient } from '@caregraph/schema';
import { MappingError } from '../mappings/mapping-error.js';
import type { ConditionRecord, ProblemsRecord } from '../mappings/records.js';
import { RecordLink } from '../store/record-link.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';
import { applyPatient } from './patients.js';
import { linkedRecord, linkRecord, type LinkKey } from './record-links.js';
import { applyObservation } from './results.js';

/** PRB-1 action codes (table 0287) that may register a problem not known yet. */
const ADDS = new Set(['AD']);

function instanceKey(state: ApplyState, record: ConditionRecord): LinkKey | undefined {
  return record.problemInstanceId
    ? { kind: 'problem', system: state.sender, externalId: record.problemInstanceId }
    : undefined;
}

/**
 * The patient's problem a PRB names: by its problem instance id (PRB-4) through a record link,
 * else by its code among the patient's problem-list entries that this sender has not linked to
 * another instance id (an entry not deleted first, then the latest).
 */
async function findCondition(
  state: ApplyState,
  patient: Patient,
  record: ConditionRecord,
  key: LinkKey | undefined,
): Promise<{ condition: Condition | null; linked: boolean }> {
  const id = key && (await linkedRecord(state, key));
  if (id) return { condition: await state.em.findOne(Condition, id), linked: true };
  const candidates = await state.em.find(
    Condition,
    {
      patient,
      category: record.category,
      code: { system: record.code.system, code: record.code.code },
    },
    { orderBy: { recordedAt: 'desc' } },
  );
  if (candidates.length === 0) return { condition: null, linked: false };
  const links = await state.em.find(RecordLink, {
    kind: 'problem',
    system: state.sender,
    recordId: { $in: candidates.map((c) => c.id) },
  });
  const free = candidates.filter((c) => !links.some((link) => link.recordId === c.id));
  const condition =
    free.find((c) => c.verificationStatus !== VerificationStatus.ENTERED_IN_ERROR) ??
    free[0] ??
    null;
  return { condition, linked: false };
}

async function applyProblem(
  state: ApplyState,
  patient: Patient,
  record: ConditionRecord,
  sequence: number,
): Promise<void> {
  const key = instanceKey(state, record);
  const { condition: found, linked } = await findCondition(state, patient, record, key);
  if (!found && !ADDS.has(record.actionCode))
    throw MappingError.unknownKey(
      { segment: 'PRB', sequence, field: record.problemInstanceId ? 4 : 3 },
      'problem',
    );
  const condition =
    found ??
    state.em.create(Condition, {
      tenantId: state.config.tenantId,
      patient,
      code: Object.assign(new CodedConcept(), record.code),
      clinicalStatus: record.clinicalStatus,
      verificationStatus: record.verificationStatus,
      category: record.category,
    });
  let changed = false;
  if (record.actionCode === 'DE')
    changed = assignChanges(condition, { verificationStatus: VerificationStatus.ENTERED_IN_ERROR });
  else if (record.actionCode !== 'UC')
    changed = assignChanges(condition, {
      code: Object.assign(new CodedConcept(), record.code),
      clinicalStatus: record.clinicalStatus,
      verificationStatus: record.verificationStatus,
      onsetDate: record.onsetDate,
      abatementDate: record.abatementDate,
      recordedAt: record.recordedAt,
      note: record.note,
    });
  if (key && !linked) linkRecord(state, key, 'Condition', condition.id);
  state.wrote('Condition', condition.id, { created: !found, changed });
  if (record.actionCode !== 'DE')
    for (const observation of record.observations)
      await applyObservation(state, patient, null, {}, observation);
}

/**
 * PPR PC1/PC2/PC3 onto `Condition` (problem-list items), each PRB by its action code (PRB-1,
 * table 0287): AD adds a problem (or updates the one it names), UP/CO/LI/UN update, UC leaves it
 * as it is, DE marks it `entered-in-error` (the row and its history stay). A problem is found by
 * its instance id (PRB-4), else by code; anything but AD about an unknown problem is HL7 204.
 * The problem's OBX results are applied as results are (same patient, code and time: the same
 * observation).
 */
export async function applyProblems(record: ProblemsRecord, state: ApplyState): Promise<void> {
  const patient = await applyPatient(state, record.patient);
  for (const [index, problem] of record.problems.entries())
    await applyProblem(state, patient, problem, index + 1);
}
