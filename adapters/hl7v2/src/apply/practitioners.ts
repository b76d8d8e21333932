import { HumanName, Practitioner } from '@caregraph/schema';
import type { PractitionerRef } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { linkedRecord, linkRecord, type LinkKey } from './record-links.js';

/** How a sender names a practitioner: its id in a namespace, else its name. */
function linkKey(state: ApplyState, ref: PractitionerRef): LinkKey | undefined {
  if (ref.id)
    return { kind: 'practitioner', system: ref.idSystem ?? state.sender, externalId: ref.id };
  const family = ref.name?.family?.trim().toLowerCase();
  if (!family) return undefined;
  const given = (ref.name?.given[0] ?? '').trim().toLowerCase();
  return { kind: 'practitioner-name', system: state.sender, externalId: `${family}|${given}` };
}

/**
 * The practitioner an XCN names: by NPI, else by the sender's id for it (or, without one, its
 * name) through a record link; registered with that name and NPI when unknown. A reference with
 * no NPI, no id and no family name is skipped (undefined).
 */
export async function resolvePractitioner(
  state: ApplyState,
  ref: PractitionerRef | undefined,
): Promise<Practitioner | undefined> {
  if (!ref) return undefined;
  const key = linkKey(state, ref);
  const cacheKey = ref.npi
    ? `npi:${ref.npi}`
    : key && `${key.kind}:${key.system}:${key.externalId}`;
  if (!cacheKey) return undefined;
  const cached = state.practitioners.get(cacheKey);
  if (cached) return cached;
  let practitioner: Practitioner | null = null;
  if (ref.npi) practitioner = await state.em.findOne(Practitioner, { npi: ref.npi });
  if (!practitioner && key) {
    const id = await linkedRecord(state, key);
    if (id) practitioner = await state.em.findOne(Practitioner, id);
  }
  if (!practitioner) {
    if (!ref.name?.family) return undefined;
    practitioner = state.em.create(Practitioner, {
      tenantId: state.config.tenantId,
      name: Object.assign(new HumanName(), {
        family: ref.name.family,
        given: ref.name.given,
        prefix: ref.name.prefix,
        suffix: ref.name.suffix,
      }),
      npi: ref.npi,
    });
    state.touched('Practitioner', practitioner.id, 'create');
    if (key) linkRecord(state, key, 'Practitioner', practitioner.id);
  }
  state.practitioners.set(cacheKey, practitioner);
  return practitioner;
}
