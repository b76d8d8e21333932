/**
 * Stable codes of the errors the hub raises when it validates or runs plugins. Each error carries
 * `details.path`: where in the registration the problem is, e.g. `plugins[1].config.apiKey`.
 * Documented in core/README.md ("Error codes").
 */
export const PluginErrorCode = {
  /** Two registered plugins have the same `id`. */
  DUPLICATE_ID: 'CG_ERR_PLUGIN_DUPLICATE_ID',
  /** `id`, `version` or `apiVersion` is malformed. */
  INVALID_DEFINITION: 'CG_ERR_PLUGIN_INVALID_DEFINITION',
  /** The plugin's `apiVersion` range does not include the hub's plugin API version. */
  API_VERSION: 'CG_ERR_PLUGIN_API_VERSION',
  /** A plugin named in `dependsOn` is not registered (or the dependencies form a cycle). */
  MISSING_DEPENDENCY: 'CG_ERR_PLUGIN_MISSING_DEPENDENCY',
  /** The plugin's config does not match its schema (the key and what is expected). */
  INVALID_CONFIG: 'CG_ERR_PLUGIN_INVALID_CONFIG',
  /** A GraphQL type or field the plugin adds already exists in core or another plugin. */
  GRAPHQL_CLASH: 'CG_ERR_PLUGIN_GRAPHQL_CLASH',
  /** A GraphQL field the plugin adds has no permission rule (fields are denied by default). */
  PERMISSION_MISSING: 'CG_ERR_PLUGIN_PERMISSION_MISSING',
  /** The plugin published or scheduled something it did not declare (`topics`, `jobs`). */
  UNDECLARED: 'CG_ERR_PLUGIN_UNDECLARED',
  /** A plugin entity has no `tenantId` property (plugin tables are tenant-owned). */
  ENTITY_NOT_TENANT_OWNED: 'CG_ERR_PLUGIN_ENTITY_NOT_TENANT_OWNED',
  /** The plugin subscribed twice to one tenant under one subscription name. */
  DUPLICATE_SUBSCRIPTION: 'CG_ERR_PLUGIN_DUPLICATE_SUBSCRIPTION',
  /**
   * A subscription's cursor was further behind than the outbox's retention: events were deleted
   * before its handler got them (reported, then skipped; the plugin is degraded).
   */
  EVENTS_LOST: 'CG_ERR_PLUGIN_EVENTS_LOST',
  /** A standalone command (no hub, no database) used a hub service of its context. */
  STANDALONE_COMMAND: 'CG_ERR_PLUGIN_STANDALONE_COMMAND',
  /**
   * A plugin CLI command's name is taken by a core command or another plugin's command (since API
   * 1.4.0).
   */
  COMMAND_CLASH: 'CG_ERR_PLUGIN_COMMAND_CLASH',
} as const;
export type PluginErrorCode = (typeof PluginErrorCode)[keyof typeof PluginErrorCode];

/** The GraphQL codes a plugin may answer its caller with (`PluginRequestError`). */
export type PluginRequestErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN';

/**
 * An error a plugin's resolver raises for its caller (since API 1.4.0): the hub passes its code
 * and message through as `extensions.code` (any other exception becomes INTERNAL_SERVER_ERROR).
 * The message is shown to the caller: never put PHI in it.
 */
export class PluginRequestError extends Error {
  constructor(
    readonly code: PluginRequestErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PluginRequestError';
  }

  /** Bad input at an argument path, shaped like the hub's own (`invalidFields`). */
  static badInput(path: readonly (string | number)[], message: string): PluginRequestError {
    return new PluginRequestError(
      'BAD_USER_INPUT',
      `Invalid input: ${path.join('.')}: ${message}`,
      {
        invalidFields: [{ path, message }],
      },
    );
  }

  /** A record the caller named does not exist (or is not theirs to see). */
  static notFound(type: string, id: string): PluginRequestError {
    return new PluginRequestError('NOT_FOUND', `${type} ${id} was not found.`, { type, id });
  }
}
