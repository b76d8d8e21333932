import { CommunicationChannel } from '@caregraph/schema';
import type { EngagementConfig } from '../config.js';
import type { DeliveryChannel } from './channel.js';
import { emailChannel } from './email-channel.js';
import { smsHttpChannel } from './sms-http-channel.js';

/** The delivery channels the config has settings for (none configured: nothing is sent). */
export function configuredChannels(
  config: EngagementConfig['channels'],
): Map<CommunicationChannel, DeliveryChannel> {
  const channels = new Map<CommunicationChannel, DeliveryChannel>();
  if (config.email) channels.set(CommunicationChannel.EMAIL, emailChannel(config.email));
  if (config.sms) channels.set(CommunicationChannel.SMS, smsHttpChannel(config.sms));
  return channels;
}
