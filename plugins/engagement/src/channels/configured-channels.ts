import { CommunicationChannel } from '@caregraph/schema';
import type { EngagementConfig } from '../config.js';
import type { DeliveryChannel } from './channel.js';
import { emailChannel } from './email-channel.js';
import { inAppChannel } from './in-app-channel.js';
import { inAppMessageId } from './in-app-message-id.js';
import { smsHttpChannel } from './sms-http-channel.js';

/** The delivery channels the config has settings for (none configured: nothing is sent). */
export function configuredChannels(
  config: EngagementConfig['channels'],
): Map<CommunicationChannel, DeliveryChannel> {
  const channels = new Map<CommunicationChannel, DeliveryChannel>();
  if (config.email) channels.set(CommunicationChannel.EMAIL, emailChannel(config.email));
  if (config.sms) channels.set(CommunicationChannel.SMS, smsHttpChannel(config.sms));
  // The dispatcher's Communication (channel in-app) is the message: its commit raises core's
  // CommunicationStatusChanged, which the patient's app receives on `patientEvents`.
  if (config.inApp) channels.set(CommunicationChannel.IN_APP, inAppChannel(inAppMessageId));
  return channels;
}
