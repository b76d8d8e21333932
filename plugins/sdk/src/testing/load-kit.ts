import type { PluginTestKit } from './kit.js';

/*
 * The one place the sdk reaches core, and only from the test kit: core depends on the sdk (it
 * implements the context), so the sdk cannot depend on core at build time. The specifier is a
 * variable so TypeScript and dependency-cruiser treat it as a runtime-only, optional peer
 * (`@caregraph/core` in peerDependencies); the shape is checked in core against PluginTestKit.
 */
const CORE_TESTING = '@caregraph/core/testing';

let kit: Promise<PluginTestKit> | undefined;

/** Loads core's implementation of the test kit (needs `@caregraph/core` installed). */
export function loadTestKit(): Promise<PluginTestKit> {
  kit ??= import(CORE_TESTING).then(
    (module: { pluginTestKit?: PluginTestKit }) => {
      if (!module.pluginTestKit) throw new Error(`${CORE_TESTING} does not export pluginTestKit`);
      return module.pluginTestKit;
    },
    (error: Error) => {
      kit = undefined;
      throw new Error(
        `The plugin test kit needs @caregraph/core (npm install -D @caregraph/core): ${error.message}`,
      );
    },
  );
  return kit;
}
