import { RelatedPerson } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import type { Recipient } from './planned-message.js';

/**
 * The recipients of a rule's messages about each of `patientIds`: the patient, and when the rule
 * says `includeCaregivers` their active caregivers and proxies (whose own consents and the
 * patient's proxy-access permit are checked at send time). One query for all the patients.
 */
export async function recipientsOf(
  em: EntityManager,
  patientIds: readonly string[],
  includeCaregivers: boolean,
): Promise<Map<string, Recipient[]>> {
  const recipients = new Map<string, Recipient[]>(
    patientIds.map((id) => [id, [{ type: 'Patient', id }]]),
  );
  if (!includeCaregivers || patientIds.length === 0) return recipients;
  const caregivers = await em.find(RelatedPerson, {
    patient: { $in: [...new Set(patientIds)] },
    active: true,
  });
  for (const caregiver of caregivers)
    recipients.get(caregiver.patient.id)?.push({ type: 'RelatedPerson', id: caregiver.id });
  return recipients;
}
