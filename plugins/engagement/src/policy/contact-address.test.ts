import { CommunicationChannel, ContactPointSystem, ContactPointUse } from '@caregraph/schema';
import { contactPointFor, normalizeAddress } from './contact-address.js';

const phone = (value: string, use?: ContactPointUse, rank?: number) => ({
  system: ContactPointSystem.PHONE,
  value,
  use,
  rank,
});

describe('contactPointFor', () => {
  it('texts an sms entry or a mobile phone, never a landline', () => {
    expect(
      contactPointFor(CommunicationChannel.SMS, [phone('+15550100', ContactPointUse.HOME)]),
    ).toBeUndefined();
    expect(
      contactPointFor(CommunicationChannel.SMS, [
        phone('+15550100', ContactPointUse.HOME),
        phone('+15550101', ContactPointUse.MOBILE),
      ])?.value,
    ).toBe('+15550101');
    expect(
      contactPointFor(CommunicationChannel.SMS, [
        { system: ContactPointSystem.SMS, value: '+15550102' },
      ])?.value,
    ).toBe('+15550102');
  });

  it('takes the lowest rank, then the first listed, and skips old or empty entries', () => {
    const telecom = [
      {
        system: ContactPointSystem.EMAIL,
        value: 'old@example.org',
        use: ContactPointUse.OLD,
        rank: 1,
      },
      { system: ContactPointSystem.EMAIL, value: ' ', rank: 1 },
      { system: ContactPointSystem.EMAIL, value: 'unranked@example.org' },
      { system: ContactPointSystem.EMAIL, value: 'second@example.org', rank: 2 },
      { system: ContactPointSystem.EMAIL, value: 'third@example.org', rank: 2 },
    ];
    expect(contactPointFor(CommunicationChannel.EMAIL, telecom)?.value).toBe('second@example.org');
  });

  it('has no telecom entry for in-app messages or letters', () => {
    const telecom = [phone('+15550101', ContactPointUse.MOBILE)];
    expect(contactPointFor(CommunicationChannel.IN_APP, telecom)).toBeUndefined();
    expect(contactPointFor(CommunicationChannel.LETTER, telecom)).toBeUndefined();
    expect(contactPointFor(CommunicationChannel.PHONE, telecom)?.value).toBe('+15550101');
  });
});

describe('normalizeAddress', () => {
  it('folds emails and keeps the digits of phone numbers', () => {
    expect(normalizeAddress(CommunicationChannel.EMAIL, ' Pat@Example.ORG ')).toBe(
      'pat@example.org',
    );
    expect(normalizeAddress(CommunicationChannel.SMS, '+1 (555) 010-2000')).toBe('+15550102000');
    expect(normalizeAddress(CommunicationChannel.PHONE, '555.010.2000')).toBe('5550102000');
  });
});
