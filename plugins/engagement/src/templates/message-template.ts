import type { CommunicationChannel, ConsentPurpose } from '@caregraph/schema';

/**
 * The channels a template can be written for: the schema's `CommunicationChannel` values that
 * carry a written body (phone calls and letters are not sent by this plugin).
 */
export type TemplateChannel = Extract<`${CommunicationChannel}`, 'sms' | 'email' | 'in-app'>;

/**
 * The templates a channel's messages are rendered from: its own, or for a channel without
 * templates of its own (a vendor's `phone`, read out by a voice-call API) the short SMS text.
 */
export function templateChannelOf(channel: `${CommunicationChannel}`): TemplateChannel {
  return channel === 'email' || channel === 'in-app' ? channel : 'sms';
}

/** Every template channel, for validation. */
export const TEMPLATE_CHANNELS: readonly TemplateChannel[] = ['sms', 'email', 'in-app'];

/** A template for every channel: the fallback when none is written for the message's channel. */
export const ANY_CHANNEL = 'any';

/** Which consent purpose a message sent from the template needs (the schema's `ConsentPurpose`). */
export type MessagePurpose = Extract<
  `${ConsentPurpose}`,
  'care-reminders' | 'wellness' | 'marketing'
>;

/** Every message purpose, for validation. */
export const MESSAGE_PURPOSES: readonly MessagePurpose[] = [
  'care-reminders',
  'wellness',
  'marketing',
];

/** A template key: lower-case words joined by hyphens, e.g. `appointment-reminder`. */
export const TEMPLATE_KEY_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * One version of a message template in one language for one channel (or every channel). The
 * bodies contain `{{placeholder}}`s from the allow-list (see `placeholders.ts`) and literal text.
 */
export interface MessageTemplate {
  /** What the message is, e.g. `appointment-reminder`; the rules name templates by key. */
  key: string;
  purpose: MessagePurpose;
  /** The channel the template is written for, or `any` (used when none is written for it). */
  channel: TemplateChannel | typeof ANY_CHANNEL;
  /** BCP 47 language tag, e.g. `es` or `es-MX`. */
  language: string;
  /** Email subject (and in-app title); not allowed on an SMS template. */
  subject?: string;
  /** The plain-text body: the SMS, the in-app message, the email's text part. */
  text: string;
  /** The email's HTML part; placeholder values are HTML-escaped into it. Not allowed for SMS. */
  html?: string;
  /** 1, 2, …: saving an edit creates the next version; selection takes the highest. */
  version: number;
}
