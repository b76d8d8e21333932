import type * as fhir from 'fhir/r4.js';
import type { Communication, Consent, Task } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import {
  FHIR_SYSTEMS,
  code,
  instant,
  notes,
  period,
  reference,
  securityMeta,
  withoutEmpty,
} from './fhir-values.js';

/** A Task resource (work for a practitioner or a team about the patient). */
export function toFhirTask(task: Task, refs: ExportRefs): fhir.Task {
  const owner = task.owner ? refs.practitioner(task.owner.id) : refs.careTeam(task.ownerTeam?.id);
  return withoutEmpty({
    resourceType: 'Task' as const,
    id: task.id,
    meta: { lastUpdated: instant(task.updatedAt) },
    basedOn: task.carePlan ? [reference('CarePlan', task.carePlan.id)] : undefined,
    status: task.status as fhir.Task['status'],
    intent: 'order' as const,
    priority: task.priority as fhir.Task['priority'],
    description: task.title,
    for: refs.patient(),
    authoredOn: instant(task.authoredOn),
    lastModified: instant(task.updatedAt),
    requester: task.requesterUserId
      ? { identifier: { system: FHIR_SYSTEMS.user, value: task.requesterUserId } }
      : undefined,
    owner,
    executionPeriod: task.completedAt ? period(undefined, task.completedAt) : undefined,
    restriction: task.dueAt ? { period: period(undefined, task.dueAt) } : undefined,
    note: notes(task.description),
    output: task.outcome ? [{ type: { text: 'outcome' }, valueString: task.outcome }] : undefined,
  });
}

/** CareGraph delivery statuses folded into FHIR event status (the original kept as reason). */
const COMMUNICATION_STATUS: Record<string, fhir.Communication['status']> = {
  scheduled: 'preparation',
  'in-progress': 'in-progress',
  sent: 'completed',
  delivered: 'completed',
  replied: 'completed',
  received: 'completed',
  failed: 'not-done',
  bounced: 'not-done',
  cancelled: 'stopped',
  'entered-in-error': 'entered-in-error',
};

/** A Communication resource (message to or from the patient or a caregiver). */
export function toFhirCommunication(message: Communication, refs: ExportRefs): fhir.Communication {
  const party = message.relatedPerson
    ? reference('RelatedPerson', message.relatedPerson.id)
    : refs.patient();
  const outbound = message.direction === 'outbound';
  const about = message.about && /^[A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/.test(message.about);
  return withoutEmpty({
    resourceType: 'Communication' as const,
    id: message.id,
    meta: { lastUpdated: instant(message.updatedAt) },
    status: COMMUNICATION_STATUS[message.status] ?? 'unknown',
    statusReason: code(FHIR_SYSTEMS.deliveryStatus, message.status),
    category: [code(FHIR_SYSTEMS.communicationCategory, message.category)],
    medium: [code(FHIR_SYSTEMS.channel, message.channel)],
    subject: refs.patient(),
    topic: message.subject ? { text: message.subject } : undefined,
    about: about ? [{ reference: message.about }] : undefined,
    sent: outbound ? instant(message.occurredAt) : undefined,
    received: outbound ? undefined : instant(message.occurredAt),
    recipient: outbound ? [party] : undefined,
    sender: outbound ? undefined : party,
    payload: message.body ? [{ contentString: message.body }] : undefined,
  });
}

const FHIR_CONSENT_SCOPES = new Set(['adr', 'research', 'patient-privacy', 'treatment']);

/**
 * A Consent resource. The policy rule is v3 OPTIN/OPTOUT (ppc-1 wants a policy or a rule); the
 * purpose is an HL7 PurposeOfUse code where it is one, else a CareGraph communication purpose.
 */
export function toFhirConsent(consent: Consent, refs: ExportRefs): fhir.Consent {
  const v3Purpose = /^[A-Z]+$/.test(consent.purpose);
  return withoutEmpty({
    resourceType: 'Consent' as const,
    id: consent.id,
    meta: withoutEmpty({
      lastUpdated: instant(consent.updatedAt),
      ...securityMeta(consent.securityLabels),
    }),
    status: consent.status as fhir.Consent['status'],
    scope: FHIR_CONSENT_SCOPES.has(consent.scope)
      ? code(FHIR_SYSTEMS.consentScope, consent.scope)
      : code('urn:caregraph:consent-scope', consent.scope),
    category: [code(FHIR_SYSTEMS.loinc, '59284-0', 'Patient Consent')],
    patient: refs.patient(),
    dateTime: instant(consent.createdAt),
    sourceAttachment: { title: consent.source },
    policyRule: code(FHIR_SYSTEMS.v3ActCode, consent.decision === 'deny' ? 'OPTOUT' : 'OPTIN'),
    provision: withoutEmpty({
      type: consent.decision as 'permit' | 'deny',
      period: period(consent.periodStart, consent.revokedAt ?? consent.periodEnd),
      purpose: [
        {
          system: v3Purpose
            ? 'http://terminology.hl7.org/CodeSystem/v3-ActReason'
            : FHIR_SYSTEMS.consentPurpose,
          code: consent.purpose,
        },
      ],
      actor: consent.grantee
        ? [
            {
              role: code(FHIR_SYSTEMS.v3ParticipationType, 'IRCP'),
              reference: reference('RelatedPerson', consent.grantee.id),
            },
          ]
        : undefined,
      code: consent.channel ? [code(FHIR_SYSTEMS.channel, consent.channel)] : undefined,
    }),
  });
}
