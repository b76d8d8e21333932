import 'reflect-metadata';

export type { Actor } from './auth/actor.js';
export { loadOrCreateDevSigningKey, type DevSigningKey } from './auth/dev-signing-key.js';
export { mintDevToken } from './auth/dev-token.js';
export type { CareGraphConfig, CareGraphConfigInput } from './config/config-schema.js';
export { defineConfig } from './config/define-config.js';
export { loadConfig, validateConfig } from './config/load-config.js';
export type { RequestContext } from './context/request-context.js';
export type { KeyProvider, KeyWrapContext } from './crypto/key-provider.js';
export { Keyring, type KeyringOptions } from './crypto/keyring.js';
export { encryptPlaintextRows } from './crypto/encrypt-plaintext-rows.js';
export { LocalKeyProvider } from './crypto/local-key-provider.js';
export {
  createKeyProvider,
  readMasterKeyFile,
  writeMasterKeyFile,
} from './crypto/master-key-file.js';
export {
  rotateDataKey,
  rewrapTenantKeys,
  type RotationOptions,
  type RotationReport,
} from './crypto/key-rotation.js';
export { createOrm, migrateDatabase, forkForTenant, type DatabaseTarget } from './db/create-orm.js';
export * from './errors/caregraph-error.js';
export {
  BUS_GAP,
  InProcessEventBus,
  QUEUE_OVERFLOW,
  type BusDelivery,
  type BusSubscribeOptions,
  type EventBus,
} from './events/event-bus.js';
export { CareEvents, type EventDeliverySettings } from './events/care-events.js';
export { OutboxRelay, type OutboxRelayOptions } from './events/outbox-relay.js';
export { RedisEventBus } from './events/redis-event-bus.js';
export { buildGatewaySchema } from './graphql/build-schema.js';
export { createLogger, type Logger } from './logging/logger.js';
export { seedDemoClinic, isDatabaseEmpty, type DemoClinicSeed } from './seed/demo-clinic.js';
export { createHub, type Hub, type HubOptions } from './server/create-hub.js';
export {
  PluginError,
  validatePlugins,
  DEFAULT_RESTART_POLICY,
  type PluginEntry,
  type RestartPolicy,
} from './plugins/index.js';
