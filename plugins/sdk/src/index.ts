/**
 * `@caregraph/plugin-sdk`: the contract between the CareGraph hub and its plugins. A plugin
 * imports only this package (and `@caregraph/schema`); core implements the context it declares.
 */
export { PLUGIN_API_VERSION } from './api-version.js';
export type {
  ConfigIssue,
  ConfigOf,
  ConfigSchema,
  ConfigValidationResult,
} from './config-schema.js';
export type * from './commands.js';
export type * from './context.js';
export {
  definePlugin,
  withConfig,
  type PluginClass,
  type PluginDefinition,
  type PluginHealth,
  type PluginMigration,
  type PluginRegistration,
  type PluginTopics,
} from './define-plugin.js';
export { PluginErrorCode, PluginRequestError, type PluginRequestErrorCode } from './errors.js';
export type * from './jobs.js';
export { keysetPage, MAX_PAGE, Paged, type KeysetPageOptions } from './paging.js';
export type * from './patient-data.js';
export {
  isFieldPermission,
  type FieldPermission,
  type PatientDataCategory,
  type PluginPermissions,
} from './permissions.js';
export type * from './routes.js';
export { safeEqual } from './safe-equal.js';
export { PLUGIN_STATES, type PluginState, type PluginStatusReport } from './status.js';
