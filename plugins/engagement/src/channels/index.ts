export type { DeliveryChannel, OutgoingMessage, SendReceipt } from './channel.js';
export { DeliveryError, DeliveryErrorCode } from './delivery-error.js';
export {
  classifySmtpError,
  emailChannel,
  messageIdFor,
  type EmailChannelConfig,
  type SmtpSecurity,
} from './email-channel.js';
export { inAppChannel, type InAppDeliver } from './in-app-channel.js';
export {
  smsHttpChannel,
  TWILIO_API_BASE_URL,
  type SmsHttpChannelConfig,
} from './sms-http-channel.js';
export {
  parseSmsWebhook,
  type SmsDeliveryStatus,
  type SmsWebhookEvent,
} from './sms-webhook-event.js';
export {
  smsWebhookRoute,
  type SmsWebhookRouteOptions,
  type SmsWebhookSettings,
} from './sms-webhook-route.js';
export {
  TWILIO_SIGNATURE_HEADER,
  twilioSignature,
  verifyTwilioSignature,
} from './webhook-signature.js';
