import { Address, ContactPoint, HumanName, RelatedPerson, type Patient } from '@caregraph/schema';
import type { RelatedPersonRecord } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';

function sameName(a: HumanName, b: RelatedPersonRecord['name']): boolean {
  const norm = (value: string | undefined) => (value ?? '').trim().toLowerCase();
  return norm(a.family) === norm(b.family) && norm(a.given[0]) === norm(b.given[0]);
}

/**
 * Applies the next of kin (NK1) of a message as RelatedPersons: one with the same relationship
 * and name is updated (contacts replaced), another is added. People the message no longer lists
 * are kept (an ADT message often carries only the contact it is about).
 */
export async function applyRelatedPersons(
  state: ApplyState,
  patient: Patient,
  records: RelatedPersonRecord[],
): Promise<void> {
  if (!records.length) return;
  const existing = await state.em.find(RelatedPerson, { patient, active: true });
  for (const record of records) {
    let person = existing.find(
      (candidate) =>
        candidate.relationship === record.relationship && sameName(candidate.name, record.name),
    );
    const created = !person;
    if (!person) {
      person = state.em.create(RelatedPerson, {
        tenantId: state.config.tenantId,
        patient,
        relationship: record.relationship,
        name: Object.assign(new HumanName(), record.name),
      });
      existing.push(person);
    }
    const changed = assignChanges(person, {
      telecom: record.telecom.map((point) => Object.assign(new ContactPoint(), point)),
      address: record.address.map((address) => Object.assign(new Address(), address)),
      periodStart: record.periodStart,
      periodEnd: record.periodEnd,
    });
    state.wrote('RelatedPerson', person.id, { created, changed });
  }
}
