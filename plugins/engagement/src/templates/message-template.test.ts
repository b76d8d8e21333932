import { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';
import { MESSAGE_PURPOSES, TEMPLATE_CHANNELS, TEMPLATE_KEY_PATTERN } from './message-template.js';

describe('message template vocabulary', () => {
  it('uses channel and purpose values of the schema’s enums', () => {
    expect(
      TEMPLATE_CHANNELS.every((c) => (Object.values(CommunicationChannel) as string[]).includes(c)),
    ).toBe(true);
    expect(
      MESSAGE_PURPOSES.every((p) => (Object.values(ConsentPurpose) as string[]).includes(p)),
    ).toBe(true);
  });

  it('accepts kebab-case keys only', () => {
    expect(TEMPLATE_KEY_PATTERN.test('appointment-reminder')).toBe(true);
    expect(TEMPLATE_KEY_PATTERN.test('Appointment_Reminder')).toBe(false);
    expect(TEMPLATE_KEY_PATTERN.test('reminder-')).toBe(false);
  });
});
