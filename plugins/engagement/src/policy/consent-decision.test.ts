import {
  CommunicationChannel,
  ConsentDecision,
  ConsentPurpose,
  ConsentScope,
  ConsentStatus,
} from '@caregraph/schema';
import {
  ConsentReason,
  decideConsent,
  type ConsentQuery,
  type ConsentRecord,
} from './consent-decision.js';

const at = new Date('2024-05-01T15:00:00Z');
const caregiver = { id: 'rp-1', active: true };

function consent(
  purpose: ConsentPurpose,
  decision: ConsentDecision,
  extra: Partial<ConsentRecord> = {},
): ConsentRecord {
  return {
    scope: ConsentScope.COMMUNICATION,
    purpose,
    decision,
    status: ConsentStatus.ACTIVE,
    periodStart: new Date('2024-01-01T00:00:00Z'),
    ...extra,
  };
}

const proxyPermit = consent(ConsentPurpose.PROXY_ACCESS, ConsentDecision.PERMIT, {
  scope: ConsentScope.PATIENT_PRIVACY,
  grantee: { id: caregiver.id },
});

function decide(extra: Partial<ConsentQuery> = {}) {
  return decideConsent({
    purpose: ConsentPurpose.CARE_REMINDERS,
    channel: CommunicationChannel.SMS,
    at,
    recipient: { kind: 'patient' },
    address: '+15550102000',
    consents: [],
    optOuts: [],
    ...extra,
  });
}

describe('decideConsent: defaults by purpose', () => {
  it('permits care reminders to a reachable patient without any consent on file', () => {
    expect(decide()).toEqual({ permitted: true, reason: ConsentReason.CARE_DEFAULT });
  });

  it('refuses wellness and marketing without an explicit opt-in', () => {
    expect(decide({ purpose: ConsentPurpose.MARKETING })).toEqual({
      permitted: false,
      reason: 'NO_MARKETING_OPT_IN',
    });
    expect(decide({ purpose: ConsentPurpose.WELLNESS }).reason).toBe('NO_MARKETING_OPT_IN');
    expect(decide({ purpose: ConsentPurpose.RESEARCH }).reason).toBe('NO_OPT_IN');
  });

  it('refuses when the recipient has no address on the channel', () => {
    expect(decide({ address: undefined })).toEqual({
      permitted: false,
      reason: 'NO_CONTACT_POINT',
    });
    expect(decide({ address: '  ' }).reason).toBe('NO_CONTACT_POINT');
  });
});

describe('decideConsent: consents on file', () => {
  it('permits marketing with an opt-in, purpose-wide or for the channel', () => {
    const purposeWide = consent(ConsentPurpose.MARKETING, ConsentDecision.PERMIT);
    expect(decide({ purpose: ConsentPurpose.MARKETING, consents: [purposeWide] })).toEqual({
      permitted: true,
      reason: 'CONSENT_PERMITTED_PURPOSE',
      basis: purposeWide,
    });
    const email = consent(ConsentPurpose.MARKETING, ConsentDecision.PERMIT, {
      channel: CommunicationChannel.EMAIL,
    });
    expect(
      decide({
        purpose: ConsentPurpose.MARKETING,
        channel: CommunicationChannel.EMAIL,
        address: 'pat@example.org',
        consents: [email],
      }).reason,
    ).toBe('CONSENT_PERMITTED_CHANNEL');
    // An email opt-in says nothing about SMS.
    expect(decide({ purpose: ConsentPurpose.MARKETING, consents: [email] }).reason).toBe(
      'NO_MARKETING_OPT_IN',
    );
  });

  it('refuses care reminders the patient denied, purpose-wide or on the channel', () => {
    const denied = consent(ConsentPurpose.CARE_REMINDERS, ConsentDecision.DENY);
    expect(decide({ consents: [denied] })).toEqual({
      permitted: false,
      reason: 'CONSENT_DENIED_PURPOSE',
      basis: denied,
    });
    const smsDenied = consent(ConsentPurpose.CARE_REMINDERS, ConsentDecision.DENY, {
      channel: CommunicationChannel.SMS,
    });
    expect(decide({ consents: [smsDenied] }).reason).toBe('CONSENT_DENIED_CHANNEL');
    expect(
      decide({ consents: [smsDenied], channel: CommunicationChannel.EMAIL, address: 'a@b.org' })
        .reason,
    ).toBe('CARE_DEFAULT_PERMIT');
  });

  it('lets a deny win over a permit at the same level', () => {
    const permit = consent(ConsentPurpose.MARKETING, ConsentDecision.PERMIT);
    const deny = consent(ConsentPurpose.MARKETING, ConsentDecision.DENY);
    expect(decide({ purpose: ConsentPurpose.MARKETING, consents: [permit, deny] }).reason).toBe(
      'CONSENT_DENIED_PURPOSE',
    );
    const smsPermit = { ...permit, channel: CommunicationChannel.SMS };
    const smsDeny = { ...deny, channel: CommunicationChannel.SMS };
    expect(
      decide({ purpose: ConsentPurpose.MARKETING, consents: [smsPermit, smsDeny] }).reason,
    ).toBe('CONSENT_DENIED_CHANNEL');
  });

  it('lets a channel consent beat a purpose-wide one, either way', () => {
    const smsPermit = consent(ConsentPurpose.WELLNESS, ConsentDecision.PERMIT, {
      channel: CommunicationChannel.SMS,
    });
    const allDenied = consent(ConsentPurpose.WELLNESS, ConsentDecision.DENY);
    expect(
      decide({ purpose: ConsentPurpose.WELLNESS, consents: [allDenied, smsPermit] }).reason,
    ).toBe('CONSENT_PERMITTED_CHANNEL');
    const smsDeny = consent(ConsentPurpose.WELLNESS, ConsentDecision.DENY, {
      channel: CommunicationChannel.SMS,
    });
    const allPermitted = consent(ConsentPurpose.WELLNESS, ConsentDecision.PERMIT);
    expect(
      decide({ purpose: ConsentPurpose.WELLNESS, consents: [allPermitted, smsDeny] }).reason,
    ).toBe('CONSENT_DENIED_CHANNEL');
  });

  it('ignores consents that are not in force at the instant, or not about communication', () => {
    const permit = (extra: Partial<ConsentRecord>) =>
      consent(ConsentPurpose.MARKETING, ConsentDecision.PERMIT, extra);
    const notInForce = [
      permit({ status: ConsentStatus.PROPOSED }),
      permit({ status: ConsentStatus.INACTIVE }),
      permit({ periodStart: new Date('2024-06-01T00:00:00Z') }),
      permit({ periodEnd: at }),
      permit({ revokedAt: new Date('2024-04-01T00:00:00Z') }),
      permit({ scope: ConsentScope.TREATMENT }),
    ];
    for (const record of notInForce)
      expect(decide({ purpose: ConsentPurpose.MARKETING, consents: [record] }).reason).toBe(
        'NO_MARKETING_OPT_IN',
      );
    // A revocation later than the instant does not yet apply.
    expect(
      decide({
        purpose: ConsentPurpose.MARKETING,
        consents: [permit({ revokedAt: new Date('2024-06-01T00:00:00Z') })],
      }).reason,
    ).toBe('CONSENT_PERMITTED_PURPOSE');
  });
});

describe('decideConsent: opt-outs', () => {
  it('refuses every purpose on an opted-out address, whatever the consents say', () => {
    const optOuts = [
      { channel: CommunicationChannel.SMS, address: '+1 (555) 010-2000', since: new Date(0) },
    ];
    expect(decide({ optOuts })).toEqual({ permitted: false, reason: 'OPTED_OUT' });
    const permit = consent(ConsentPurpose.MARKETING, ConsentDecision.PERMIT, {
      channel: CommunicationChannel.SMS,
    });
    expect(decide({ optOuts, purpose: ConsentPurpose.MARKETING, consents: [permit] }).reason).toBe(
      'OPTED_OUT',
    );
    // Another number, or another channel, is not opted out.
    expect(decide({ optOuts, address: '+15550109999' }).reason).toBe('CARE_DEFAULT_PERMIT');
    expect(
      decide({ optOuts, channel: CommunicationChannel.EMAIL, address: 'a@b.org' }).reason,
    ).toBe('CARE_DEFAULT_PERMIT');
  });

  it('honours an opt-out limited to purposes, covering all addresses, or ended', () => {
    const marketingOnly = {
      channel: CommunicationChannel.EMAIL,
      purposes: [ConsentPurpose.MARKETING],
      since: new Date(0),
    };
    const email = { channel: CommunicationChannel.EMAIL, address: 'Pat@Example.org' };
    const permit = consent(ConsentPurpose.MARKETING, ConsentDecision.PERMIT);
    expect(
      decide({
        ...email,
        optOuts: [marketingOnly],
        purpose: ConsentPurpose.MARKETING,
        consents: [permit],
      }).reason,
    ).toBe('OPTED_OUT');
    expect(decide({ ...email, optOuts: [marketingOnly] }).reason).toBe('CARE_DEFAULT_PERMIT');
    const ended = { channel: CommunicationChannel.SMS, since: new Date(0), until: at };
    expect(decide({ optOuts: [ended] }).reason).toBe('CARE_DEFAULT_PERMIT');
    const later = { channel: CommunicationChannel.SMS, since: new Date('2024-06-01T00:00:00Z') };
    expect(decide({ optOuts: [later] }).reason).toBe('CARE_DEFAULT_PERMIT');
  });
});

describe('decideConsent: caregivers and proxies (RelatedPerson) as recipients', () => {
  const toCaregiver = { kind: 'related-person' as const, relatedPerson: caregiver };

  it("needs the patient's proxy-access permit for that person", () => {
    expect(decide({ recipient: toCaregiver })).toEqual({
      permitted: false,
      reason: 'NO_PROXY_AUTHORIZATION',
    });
    expect(decide({ recipient: toCaregiver, consents: [proxyPermit] }).reason).toBe(
      'CARE_DEFAULT_PERMIT',
    );
    const otherPerson = { ...proxyPermit, grantee: { id: 'rp-2' } };
    expect(decide({ recipient: toCaregiver, consents: [otherPerson] }).reason).toBe(
      'NO_PROXY_AUTHORIZATION',
    );
    const proxyDenied = { ...proxyPermit, decision: ConsentDecision.DENY };
    expect(decide({ recipient: toCaregiver, consents: [proxyPermit, proxyDenied] }).reason).toBe(
      'NO_PROXY_AUTHORIZATION',
    );
  });

  it('refuses an inactive related person or one outside their period', () => {
    const inactive = {
      kind: 'related-person' as const,
      relatedPerson: { ...caregiver, active: false },
    };
    expect(decide({ recipient: inactive, consents: [proxyPermit] }).reason).toBe(
      'RECIPIENT_INACTIVE',
    );
    const ended = {
      kind: 'related-person' as const,
      relatedPerson: { ...caregiver, periodEnd: new Date('2024-02-01T00:00:00Z') },
    };
    expect(decide({ recipient: ended, consents: [proxyPermit] }).reason).toBe('RECIPIENT_INACTIVE');
  });

  it("uses the person's own communication consents, not the patient's", () => {
    const patientDeniesSms = consent(ConsentPurpose.CARE_REMINDERS, ConsentDecision.DENY, {
      channel: CommunicationChannel.SMS,
    });
    const caregiverDeniesSms = { ...patientDeniesSms, grantee: { id: caregiver.id } };
    expect(
      decide({ recipient: toCaregiver, consents: [proxyPermit, patientDeniesSms] }).reason,
    ).toBe('CARE_DEFAULT_PERMIT');
    expect(
      decide({ recipient: toCaregiver, consents: [proxyPermit, caregiverDeniesSms] }).reason,
    ).toBe('CONSENT_DENIED_CHANNEL');
    // And the patient's messages ignore the caregiver's consents.
    expect(decide({ consents: [caregiverDeniesSms] }).reason).toBe('CARE_DEFAULT_PERMIT');
    const caregiverOptIn = consent(ConsentPurpose.WELLNESS, ConsentDecision.PERMIT, {
      grantee: { id: caregiver.id },
    });
    expect(
      decide({
        recipient: toCaregiver,
        purpose: ConsentPurpose.WELLNESS,
        consents: [proxyPermit, caregiverOptIn],
      }).reason,
    ).toBe('CONSENT_PERMITTED_PURPOSE');
    expect(decide({ purpose: ConsentPurpose.WELLNESS, consents: [caregiverOptIn] }).reason).toBe(
      'NO_MARKETING_OPT_IN',
    );
  });
});
