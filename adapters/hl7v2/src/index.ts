/** The HL7 v2 adapter: the plugin, its config, and the layers it is built from. */
export { hl7v2 } from './plugin.js';
export { hl7v2ConfigSchema, type Hl7v2Config, type Hl7v2ConfigInput } from './config.js';
export { Hl7ListenAddressError, parseListenAddress } from './listen-address.js';
export { IntegrationMessage } from './store/integration-message.js';
export { IntegrationMessageStatus } from './store/integration-message-status.js';
export { MessageIntake } from './pipeline/message-intake.js';
export * from './message/index.js';
export * from './mllp/index.js';
export * from './mappings/index.js';
