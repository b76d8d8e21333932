/**
 * `@caregraph/plugin-sdk/testing`: boot a real hub with your plugin in a test, call it as a given
 * role, await its events, and run the conformance checks. Needs `@caregraph/core` as a dev
 * dependency (it is the hub); see README "Test kit".
 */
import type { PluginDefinition, PluginRegistration } from '../define-plugin.js';
import type {
  CliEnvironment,
  CliEnvironmentOptions,
  PluginTestHub,
  PluginValidationFailure,
  TestHubOptions,
} from './kit.js';
import { loadTestKit } from './load-kit.js';

export type * from './kit.js';
export {
  runAdapterConformance,
  type ConformanceCheck,
  type ConformanceOptions,
  type ConformanceReport,
} from './conformance.js';

/** Starts a hub on embedded PGlite (seeded demo clinic) with `plugins` registered. */
export async function createTestHub(options: TestHubOptions): Promise<PluginTestHub> {
  return (await loadTestKit()).createTestHub(options);
}

/** Validates registrations as the hub does at boot; resolves with the first problem or null. */
export async function validatePlugins(
  plugins: readonly (PluginDefinition | PluginRegistration)[],
): Promise<PluginValidationFailure | null> {
  return (await loadTestKit()).validatePlugins(plugins);
}

/**
 * A database of its own for child-process runs of the built `caregraph` CLI, to test a plugin's
 * commands as operators run them (since API 1.4.0).
 */
export async function createCliEnvironment(
  options: CliEnvironmentOptions = {},
): Promise<CliEnvironment> {
  return (await loadTestKit()).createCliEnvironment(options);
}
