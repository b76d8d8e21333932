import { CareEventType } from '@caregraph/schema';
import { definePlugin } from '@caregraph/plugin-sdk';
import { wearableConfig } from './config.js';
import { readingsRoute } from './readings-route.js';

/**
 * The wearable-device adapter: a signed webhook (`POST /plugins/wearable-webhook/readings`)
 * that stores readings as device Observations and raises `DeviceAlert` past a threshold.
 */
export const wearableWebhook = definePlugin({
  id: 'wearable-webhook',
  version: '0.1.0',
  apiVersion: '^1.3.0',
  config: wearableConfig,
  topics: { emits: [CareEventType.DEVICE_ALERT] },
  routes: [readingsRoute],
});
