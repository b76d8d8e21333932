/**
 * The version of the plugin API this sdk describes (semver). A plugin declares the range it was
 * written for in `apiVersion` (e.g. `^1.0.0`); the hub refuses to boot with a plugin whose range
 * does not include the API version it implements (`CG_ERR_PLUGIN_API_VERSION`).
 *
 * Major: a breaking change of `definePlugin` or the context. Minor: additions (a new context
 * service). Patch: fixes of the contract's documentation or types.
 */
export const PLUGIN_API_VERSION = '1.7.0';
