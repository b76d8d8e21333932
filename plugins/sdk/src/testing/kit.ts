import type { CareEventMessage, Role } from '@caregraph/schema';
import type { PluginDefinition, PluginRegistration } from '../define-plugin.js';
import type { PluginState, PluginStatusReport } from '../status.js';

/** Options of `createTestHub`. */
export interface TestHubOptions {
  plugins: readonly (PluginDefinition | PluginRegistration)[];
  /** Hub config overrides (`CareGraphConfigInput` keys). */
  config?: Record<string, unknown>;
  /** Restart backoff of failed plugins, in ms (default: 50 doubling to 1000, quick for tests). */
  restart?: { baseMs: number; maxMs: number };
  /**
   * Pins ids of the seeded demo clinic (default: random), so a plugin's config can name its
   * tenant and integration account before the hub boots.
   */
  seed?: { tenantId?: string; integrationUserId?: string };
}

/** A GraphQL response as the client sees it. */
export interface TestGraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Who a test request runs as: the first demo user with a role, or nobody. */
export type TestCaller = { role: Role } | { anonymous: true };

/** The `/health` body. */
export interface TestHealth {
  status: 'ok' | 'degraded';
  components: Record<string, string>;
  plugins: (Omit<PluginStatusReport, 'since' | 'nextRestartAt'> & { nextRestartAt?: string })[];
}

/**
 * A hub on embedded PGlite (or the test PostgreSQL when `CAREGRAPH_TEST_DATABASE_URL` is set),
 * seeded with the demo clinic, listening on a free port, with the plugins registered.
 */
export interface PluginTestHub {
  /** The GraphQL URL. */
  url: string;
  /** `http://host:port`, for plugin routes (`/plugins/<id>/...`). */
  baseUrl: string;
  /** The seeded tenant. */
  tenantId: string;
  /** The id of the tenant's first active user with `role` (for `ctx.inTenant` in tests). */
  userIdOf(role: Role): string;
  /** A GraphQL request; `headers` are added to it (e.g. `x-purpose-of-use`, since API 1.5.0). */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestCaller,
    headers?: Record<string, string>,
  ): Promise<TestGraphQLResponse<T>>;
  /**
   * An HTTP request to the hub (a path like `/plugins/my-plugin/webhook`); with `as` (since API
   * 1.5.0) it carries that demo user's bearer token, e.g. to download `/fhir/exports/<id>`.
   */
  fetch(path: string, init?: RequestInit, as?: TestCaller): Promise<Response>;
  /**
   * A bearer token of the demo user with `role` (since API 1.7.0), e.g. to open a GraphQL
   * subscription over a real WebSocket at `url` (graphql-ws, `connectionParams.Authorization`).
   */
  token(as: { role: Role }): Promise<string>;
  health(): Promise<TestHealth>;
  /** The `Type.field`s plugin `id` added to the schema (the hub gave each its declared rule). */
  contributedFields(id: string): string[];
  statuses(): PluginStatusReport[];
  /** Resolves when plugin `id` is in `state` (rejects after `timeoutMs`, default 10 s). */
  waitForState(id: string, state: PluginState, timeoutMs?: number): Promise<PluginStatusReport>;
  /**
   * Resolves with the first event of the seeded tenant, published since the hub started, that
   * matches `predicate` (rejects after `timeoutMs`, default 10 s).
   */
  waitForEvent(
    predicate: (event: CareEventMessage) => boolean,
    timeoutMs?: number,
  ): Promise<CareEventMessage>;
  stop(): Promise<void>;
}

/** A registration problem, as `validatePlugins` reports it. */
export interface PluginValidationFailure {
  code: string;
  /** Where: `plugins[0].config.apiKey`. */
  path: string;
  message: string;
}

/** What one CLI run printed, and its exit code. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A database of its own for runs of the real, built `caregraph` CLI as child processes (a plugin's
 * `commands`, since API 1.4.0): a PGlite data directory, or a fresh database of the test
 * PostgreSQL server when `CAREGRAPH_TEST_DATABASE_URL` is set. Nothing is seeded: run `seed`
 * (with `--tenant-id` and `--integration-user-id` to pin the ids a plugin config names).
 */
export interface CliEnvironment {
  /** The variables every run gets (`CAREGRAPH_DATABASE_URL` or `CAREGRAPH_DATA_DIR`, ...). */
  env: Record<string, string>;
  /** Runs `caregraph <args>` to completion with `env` (and `extraEnv`). */
  run(args: readonly string[], extraEnv?: Record<string, string>): Promise<CliRun>;
  /** Drops the database and the data directory. */
  dispose(): Promise<void>;
}

/** Options of `createCliEnvironment`. */
export interface CliEnvironmentOptions {
  /** A `caregraph.config.{mjs,js,json}` registering the plugins (`CAREGRAPH_CONFIG`). */
  configFile?: string;
}

/**
 * What core's `@caregraph/core/testing` provides to this kit (core implements it, type-checked
 * against this interface; see README "Test kit").
 */
export interface PluginTestKit {
  createTestHub(options: TestHubOptions): Promise<PluginTestHub>;
  /** Validates registrations as the hub does at boot, without a database; null when valid. */
  validatePlugins(
    plugins: readonly (PluginDefinition | PluginRegistration)[],
  ): Promise<PluginValidationFailure | null>;
  createCliEnvironment(options: CliEnvironmentOptions): Promise<CliEnvironment>;
}
