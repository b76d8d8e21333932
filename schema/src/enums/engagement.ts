import { registerEnumType } from 'type-graphql';

/** A way to reach a person. */
export enum CommunicationChannel {
  SMS = 'sms',
  EMAIL = 'email',
  PHONE = 'phone',
  IN_APP = 'in-app',
  LETTER = 'letter',
}
registerEnumType(CommunicationChannel, { name: 'CommunicationChannel' });

/** Delivery status of a Communication (FHIR event status widened with delivery outcomes). */
export enum CommunicationStatus {
  SCHEDULED = 'scheduled',
  IN_PROGRESS = 'in-progress',
  SENT = 'sent',
  DELIVERED = 'delivered',
  FAILED = 'failed',
  BOUNCED = 'bounced',
  REPLIED = 'replied',
  RECEIVED = 'received',
  CANCELLED = 'cancelled',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(CommunicationStatus, { name: 'CommunicationStatus' });

/** Whether a message went out to or came in from the patient. */
export enum CommunicationDirection {
  OUTBOUND = 'outbound',
  INBOUND = 'inbound',
}
registerEnumType(CommunicationDirection, { name: 'CommunicationDirection' });

/** FHIR Consent.status. */
export enum ConsentStatus {
  DRAFT = 'draft',
  PROPOSED = 'proposed',
  ACTIVE = 'active',
  REJECTED = 'rejected',
  INACTIVE = 'inactive',
  ENTERED_IN_ERROR = 'entered-in-error',
}
registerEnumType(ConsentStatus, { name: 'ConsentStatus' });

/** FHIR Consent.scope. */
export enum ConsentScope {
  PATIENT_PRIVACY = 'patient-privacy',
  TREATMENT = 'treatment',
  RESEARCH = 'research',
  ADVANCE_DIRECTIVE = 'adr',
  COMMUNICATION = 'communication',
}
registerEnumType(ConsentScope, { name: 'ConsentScope' });

/** FHIR Consent.provision.type. */
export enum ConsentDecision {
  PERMIT = 'permit',
  DENY = 'deny',
}
registerEnumType(ConsentDecision, { name: 'ConsentDecision' });

/** What a consent or a message is for (HL7 v3 PurposeOfUse, plus CRM communication purposes). */
export enum ConsentPurpose {
  TREATMENT = 'TREAT',
  PAYMENT = 'HPAYMT',
  OPERATIONS = 'HOPERAT',
  RESEARCH = 'HRESCH',
  EMERGENCY = 'ETREAT',
  CARE_REMINDERS = 'care-reminders',
  WELLNESS = 'wellness',
  MARKETING = 'marketing',
  PROXY_ACCESS = 'proxy-access',
}
registerEnumType(ConsentPurpose, { name: 'ConsentPurpose' });
