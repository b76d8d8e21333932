import { LockMode, type FilterQuery } from '@mikro-orm/core';
import {
  CareTeamPatient,
  Patient,
  PatientIdentifier,
  User,
  normalizeSearchText,
  type CreatePatientInput,
  type IdentifierInput,
  type PatientSearchInput,
  type UpdatePatientInput,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { keyringOf } from '../crypto/keyring-registry.js';
import {
  BadUserInputError,
  ConflictError,
  EncryptionError,
  NotFoundError,
} from '../errors/caregraph-error.js';
import type { Page } from '../graphql/types/connection.js';
import { decodeCursor, pageSize, toPage } from '../graphql/types/pagination.js';
import { toAddresses, toContactPoints, toHumanNames } from './patient-mapping.js';
import { activeAt } from '../db/period-filters.js';
import { patientDataOf } from '../plugins/plugin-patient-data.js';
import { write, type WriteScope } from './transaction.js';
import { requireAccess } from '../security/require-access.js';

/** Loads a patient by id or throws NOT_FOUND. */
export async function getPatient(ctx: AuthenticatedContext, id: string): Promise<Patient> {
  const patient = await ctx.loaders.byId(Patient).load(id);
  if (!patient) throw NotFoundError.record('Patient', id);
  if (patient.erasedAt) throw NotFoundError.erased('Patient', id, patient.erasedAt);
  return patient;
}

/**
 * The tenant's keyed blind index of a value: identifier values (and other `@Sensitive` columns
 * with a blind index) are encrypted at rest, so exact-match lookups compare this HMAC instead.
 */
export function tenantBlindIndex(ctx: AuthenticatedContext, value: string): string {
  const keyring = keyringOf(ctx.em);
  if (!keyring) throw EncryptionError.keyUnavailable(ctx.tenantId);
  return keyring.blindIndex(ctx.tenantId, value);
}

/** Finds the patient that holds an identifier (exact match, through the blind index). */
export async function findPatientByIdentifier(
  ctx: AuthenticatedContext,
  system: string,
  value: string,
): Promise<Patient | null> {
  const identifier = await ctx.em.findOne(
    PatientIdentifier,
    { system, valueIndex: tenantBlindIndex(ctx, value) },
    { populate: ['patient'] },
  );
  return identifier?.patient ?? null;
}

function nameConditions(text: string): FilterQuery<Patient>[] {
  return normalizeSearchText(text)
    .split(' ')
    .filter(Boolean)
    .map((token) => ({
      $or: [
        { familySearch: { $like: `${token}%` } },
        { familySearch: { $like: `% ${token}%` } },
        { givenSearch: { $like: `${token}%` } },
        { givenSearch: { $like: `% ${token}%` } },
      ],
    }));
}

/** Searches patients by name prefix, identifier, birth date and care team, in name order. */
export async function searchPatients(
  ctx: AuthenticatedContext,
  search: PatientSearchInput = {},
  page: { first?: number; after?: string } = {},
): Promise<Page<Patient>> {
  const size = pageSize(page.first);
  const cursor = decodeCursor(page.after);
  // Erased patients (tombstones) are never found, even with includeInactive.
  const and: FilterQuery<Patient>[] = [{ erasedAt: null }];
  if (!search.includeInactive) and.push({ active: true });
  if (search.name) and.push(...nameConditions(search.name));
  if (search.birthDate) and.push({ birthDate: search.birthDate });
  if (search.identifier) {
    const identifiers = await ctx.em.find(
      PatientIdentifier,
      { valueIndex: tenantBlindIndex(ctx, search.identifier) },
      { fields: ['patient'] },
    );
    and.push({ id: { $in: identifiers.map((i) => i.patient.id) } });
  }
  if (search.careTeamId) {
    const enrolments = await ctx.em.find(
      CareTeamPatient,
      { careTeam: search.careTeamId, ...activeAt(new Date()) },
      { fields: ['patient'] },
    );
    and.push({ id: { $in: enrolments.map((e) => e.patient.id) } });
  }
  if (cursor) {
    and.push({
      $or: [
        { familySearch: { $gt: String(cursor.sort) } },
        { familySearch: String(cursor.sort), id: { $gt: cursor.id } },
      ],
    });
  }
  const rows = await ctx.em.find(
    Patient,
    { $and: and },
    { orderBy: { familySearch: 'asc', id: 'asc' }, limit: size + 1 },
  );
  for (const row of rows) ctx.loaders.byId(Patient).prime(row.id, row);
  return toPage(rows, size, (p) => ({ sort: p.familySearch, id: p.id }), cursor !== undefined);
}

async function addIdentifiers(
  scope: WriteScope,
  ctx: AuthenticatedContext,
  patient: Patient,
  inputs: IdentifierInput[],
  path: string,
): Promise<void> {
  for (const [index, input] of inputs.entries()) {
    const taken = await scope.em.findOne(PatientIdentifier, {
      system: input.system,
      valueIndex: tenantBlindIndex(ctx, input.value),
    });
    if (taken && taken.patient.id !== patient.id) {
      throw ConflictError.because(
        `Identifier ${path}[${index}] already belongs to another patient.`,
        {
          path: ['input', path, index],
        },
      );
    }
    if (!taken) scope.em.create(PatientIdentifier, { ...input, tenantId: ctx.tenantId, patient });
  }
}

/** Registers a new patient with identifiers. */
export async function createPatient(
  ctx: AuthenticatedContext,
  input: CreatePatientInput,
): Promise<Patient> {
  return write(ctx, async (scope) => {
    const patient = scope.em.create(Patient, {
      tenantId: ctx.tenantId,
      names: toHumanNames(input.names),
      gender: input.gender,
      birthDate: input.birthDate,
      telecom: toContactPoints(input.telecom ?? []),
      address: toAddresses(input.address ?? []),
      preferredLanguage: input.preferredLanguage,
      timeZone: input.timeZone,
    });
    await addIdentifiers(scope, ctx, patient, input.identifiers ?? [], 'identifiers');
    scope.audit({
      action: 'C',
      type: 'patient.create',
      entity: `Patient/${patient.id}`,
      patientId: patient.id,
    });
    scope.provenance(`Patient/${patient.id}`, 'create');
    return patient;
  });
}

/** Copies the given fields onto the patient; returns the names of the fields changed. */
function applyDetails(patient: Patient, input: UpdatePatientInput): string[] {
  const changes: Partial<Patient> = {
    names: input.names && toHumanNames(input.names),
    gender: input.gender,
    birthDate: input.birthDate,
    telecom: input.telecom && toContactPoints(input.telecom),
    address: input.address && toAddresses(input.address),
    preferredLanguage: input.preferredLanguage,
    timeZone: input.timeZone,
  };
  const changed = Object.keys(changes).filter((key) => changes[key as keyof Patient] !== undefined);
  Object.assign(
    patient,
    Object.fromEntries(changed.map((key) => [key, changes[key as keyof Patient]])),
  );
  if (input.names) patient.refreshNameSearch();
  return changed;
}

/** Updates demographics; returns the updated patient. */
export async function updatePatient(
  ctx: AuthenticatedContext,
  id: string,
  input: UpdatePatientInput,
): Promise<Patient> {
  return write(ctx, async (scope) => {
    const patient = await scope.em.findOne(Patient, id);
    if (!patient) throw NotFoundError.record('Patient', id);
    if (patient.erasedAt) throw NotFoundError.erased('Patient', id, patient.erasedAt);
    await requireAccess(ctx, scope.em, id, 'demographics', 'write');
    if (input.telecom || input.address || input.preferredLanguage || input.timeZone)
      await requireAccess(ctx, scope.em, id, 'contact', 'write');
    if (!patient.active)
      throw ConflictError.because(
        'This patient record is inactive (merged); update the surviving record.',
        { replacedBy: patient.replacedBy?.id },
      );
    const changed = applyDetails(patient, input);
    if (input.addIdentifiers) {
      await addIdentifiers(scope, ctx, patient, input.addIdentifiers, 'addIdentifiers');
      changed.push('identifiers');
    }
    scope.audit({
      action: 'U',
      type: 'patient.update',
      entity: `Patient/${id}`,
      patientId: id,
      detail: { changed },
    });
    scope.provenance(`Patient/${id}`, 'update');
    return patient;
  });
}

/**
 * Merges `loserId` into `survivorId`: every record linked to the loser (identifiers included)
 * moves to the survivor, and so do the plugins' own rows (their `patientData.onMerge`, in this
 * transaction); the loser is deactivated and points at the survivor.
 */
export async function mergePatients(
  ctx: AuthenticatedContext,
  survivorId: string,
  loserId: string,
): Promise<Patient> {
  if (survivorId === loserId)
    throw BadUserInputError.field(['loserId'], 'must differ from survivorId');
  return write(ctx, async (scope) => {
    // Both rows are locked (in id order) so two merges of the same record cannot both move it.
    const locked = await scope.em.find(
      Patient,
      { id: { $in: [survivorId, loserId] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    const survivor = locked.find((p) => p.id === survivorId);
    const loser = locked.find((p) => p.id === loserId);
    if (!survivor) throw NotFoundError.record('Patient', survivorId);
    if (!loser) throw NotFoundError.record('Patient', loserId);
    if (!survivor.active)
      throw ConflictError.because('The surviving record is inactive.', { path: ['survivorId'] });
    if (!loser.active)
      throw ConflictError.because('That record was already merged.', { path: ['loserId'] });
    const moved: Record<string, number> = {};
    for (const meta of scope.em.getMetadata().getAll().values()) {
      const patientProperty = meta.properties.patient as
        { targetMeta?: { class: unknown } } | undefined;
      if (!patientProperty || patientProperty.targetMeta?.class !== Patient || meta.class === User)
        continue;
      const count = await scope.em.nativeUpdate(
        meta.class,
        { patient: loserId },
        { patient: survivorId },
      );
      if (count > 0) moved[meta.className] = count;
    }
    await scope.em.nativeUpdate(User, { patient: loserId }, { patient: survivorId });
    Object.assign(moved, await patientDataOf(ctx).merge(ctx, scope.em, survivorId, loserId));
    loser.active = false;
    loser.replacedBy = survivor;
    scope.audit({
      action: 'U',
      type: 'patient.merge',
      entity: `Patient/${survivorId}`,
      patientId: survivorId,
      detail: { mergedFrom: loserId, moved },
    });
    scope.audit({
      action: 'U',
      type: 'patient.merge',
      entity: `Patient/${loserId}`,
      patientId: loserId,
      detail: { mergedInto: survivorId },
    });
    scope.provenance(`Patient/${survivorId}`, 'merge', `Merged Patient/${loserId}`);
    scope.provenance(`Patient/${loserId}`, 'merge', `Merged into Patient/${survivorId}`);
    return survivor;
  });
}
