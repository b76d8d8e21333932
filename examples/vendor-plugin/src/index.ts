/**
 * `@caregraph/example-vendor-plugin`: a complete small adapter written only against
 * `@caregraph/plugin-sdk` (see README "Write an adapter in 30 minutes").
 */
export { wearableConfig, isAlarming, type WearableConfig } from './config.js';
export { wearableWebhook } from './plugin.js';
export { readingsRoute, type ReadingsReceipt } from './readings-route.js';
export { MEASUREMENTS, parseReadings, type Reading } from './reading.js';
export { SIGNATURE_HEADER, sign, verifySignature } from './signature.js';
