import { CodedConcept, MedicationRequest, type Patient } from '@caregraph/schema';
import { MappingError } from '../mappings/mapping-error.js';
import type { MedicationOrdersRecord, MedicationRequestRecord } from '../mappings/records.js';
import type { ApplyState } from './apply-state.js';
import { assignChanges } from './assign-changes.js';
import { applyPatient } from './patients.js';
import { resolvePractitioner } from './practitioners.js';
import { linkedRecord, linkRecord, type LinkKey } from './record-links.js';

/** ORC-1 order controls (table 0119) that may place an order not known yet. */
const NEW_ORDER = new Set(['NW']);

/** The sender's order numbers: placer (ORC-2) first, then filler (ORC-3). */
function keysOf(state: ApplyState, order: MedicationRequestRecord): LinkKey[] {
  const keys: LinkKey[] = [];
  if (order.placerOrderNumber)
    keys.push({
      kind: 'order',
      system: `${state.sender}:placer`,
      externalId: order.placerOrderNumber,
    });
  if (order.fillerOrderNumber)
    keys.push({
      kind: 'order',
      system: `${state.sender}:filler`,
      externalId: order.fillerOrderNumber,
    });
  return keys;
}

async function applyOrder(
  state: ApplyState,
  patient: Patient,
  order: MedicationRequestRecord,
  sequence: number,
): Promise<void> {
  const keys = keysOf(state, order);
  const location = { segment: 'ORC', sequence, field: 2 };
  if (keys.length === 0)
    throw MappingError.requiredFieldMissing(location, 'placer or filler order number');
  let found: MedicationRequest | null = null;
  const unlinked: LinkKey[] = [];
  for (const key of keys) {
    const id = await linkedRecord(state, key);
    if (!id) unlinked.push(key);
    else found ??= await state.em.findOne(MedicationRequest, id);
  }
  if (!found && !NEW_ORDER.has(order.orderControl))
    throw MappingError.unknownKey(location, 'order');
  const medication = Object.assign(new CodedConcept(), order.medication);
  const request =
    found ??
    state.em.create(MedicationRequest, {
      tenantId: state.config.tenantId,
      patient,
      medication,
      status: order.status,
      intent: order.intent,
    });
  const changed = assignChanges(request, {
    medication,
    status: order.status,
    dosageText: order.dosageText,
    quantity: order.quantity,
    refillsAllowed: order.refillsAllowed,
    authoredOn: order.authoredOn,
    requester: await resolvePractitioner(state, order.requester),
  });
  for (const key of unlinked) linkRecord(state, key, 'MedicationRequest', request.id);
  state.wrote('MedicationRequest', request.id, { created: !found, changed });
}

/**
 * RDE^O11/O01 onto `MedicationRequest`, each ORC found by its placer order number (ORC-2), else
 * its filler order number (ORC-3), through record links (kind `order`). NW places the order (or
 * updates the one it names: a resend changes nothing); CA/OC/CR cancel it, DC/OD/DR stop it,
 * HD/RL hold and release it, XO/XX/RP/RU/OK/SC update it (status from ORC-5 when given, else
 * from ORC-1). Anything but NW about an unknown order is HL7 204 at ORC-2.
 */
export async function applyMedicationOrders(
  record: MedicationOrdersRecord,
  state: ApplyState,
): Promise<void> {
  const patient = await applyPatient(state, record.patient);
  for (const [index, order] of record.orders.entries())
    await applyOrder(state, patient, order, index + 1);
}
