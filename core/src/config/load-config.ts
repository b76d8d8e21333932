import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors/caregraph-error.js';
import {
  type CareGraphConfig,
  type CareGraphConfigInput,
  configSchema,
  ENV_VARIABLES,
} from './config-schema.js';

const CONFIG_FILE_NAMES = [
  'caregraph.config.ts',
  'caregraph.config.js',
  'caregraph.config.mjs',
  'caregraph.config.json',
];

type Env = Record<string, string | undefined>;

function parseBoolean(value: string | undefined): boolean | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  return value; // left as a string so validation reports it
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Reads the `CAREGRAPH_*` variables (and NODE_ENV) into a partial config. */
export function configFromEnv(env: Env): CareGraphConfigInput {
  const jwt = {
    jwksUrl: nonEmpty(env.CAREGRAPH_JWT_JWKS_URL),
    issuer: nonEmpty(env.CAREGRAPH_JWT_ISSUER),
    audience: nonEmpty(env.CAREGRAPH_JWT_AUDIENCE),
  };
  const raw = {
    nodeEnv: nonEmpty(env.NODE_ENV),
    port: nonEmpty(env.CAREGRAPH_PORT),
    host: nonEmpty(env.CAREGRAPH_HOST),
    databaseUrl: nonEmpty(env.CAREGRAPH_DATABASE_URL),
    databasePoolMax: nonEmpty(env.CAREGRAPH_DATABASE_POOL_MAX),
    allowRlsBypass: parseBoolean(env.CAREGRAPH_ALLOW_RLS_BYPASS),
    dataDir: nonEmpty(env.CAREGRAPH_DATA_DIR),
    memory: parseBoolean(env.CAREGRAPH_MEMORY),
    redisUrl: nonEmpty(env.CAREGRAPH_REDIS_URL),
    jwt: Object.values(jwt).some(Boolean) ? jwt : undefined,
    logLevel: nonEmpty(env.CAREGRAPH_LOG_LEVEL),
    seedDemo: parseBoolean(env.CAREGRAPH_SEED_DEMO),
    bodyLimitBytes: nonEmpty(env.CAREGRAPH_BODY_LIMIT_BYTES),
    devTokenTtl: nonEmpty(env.CAREGRAPH_DEV_TOKEN_TTL),
    masterKeyFile: nonEmpty(env.CAREGRAPH_MASTER_KEY_FILE),
    graphqlMaxDepth: nonEmpty(env.CAREGRAPH_GRAPHQL_MAX_DEPTH),
    graphqlMaxAliases: nonEmpty(env.CAREGRAPH_GRAPHQL_MAX_ALIASES),
    graphqlMaxDirectives: nonEmpty(env.CAREGRAPH_GRAPHQL_MAX_DIRECTIVES),
    graphqlMaxTokens: nonEmpty(env.CAREGRAPH_GRAPHQL_MAX_TOKENS),
    graphqlMaxCost: nonEmpty(env.CAREGRAPH_GRAPHQL_MAX_COST),
    retentionYears: nonEmpty(env.CAREGRAPH_RETENTION_YEARS),
    retentionMajorityAge: nonEmpty(env.CAREGRAPH_RETENTION_MAJORITY_AGE),
    exportTtl: nonEmpty(env.CAREGRAPH_EXPORT_TTL),
    breakGlassMinutes: nonEmpty(env.CAREGRAPH_BREAK_GLASS_MINUTES),
    rateLimitEnabled: parseBoolean(env.CAREGRAPH_RATE_LIMIT_ENABLED),
    rateLimitPoints: nonEmpty(env.CAREGRAPH_RATE_LIMIT_POINTS),
    rateLimitWindowSeconds: nonEmpty(env.CAREGRAPH_RATE_LIMIT_WINDOW_SECONDS),
    rateLimitKeyPrefix: nonEmpty(env.CAREGRAPH_RATE_LIMIT_KEY_PREFIX),
    trustedDocuments: nonEmpty(env.CAREGRAPH_TRUSTED_DOCUMENTS),
    trustProxy: nonEmpty(env.CAREGRAPH_TRUST_PROXY),
    wsRevalidateSeconds: nonEmpty(env.CAREGRAPH_WS_REVALIDATE_SECONDS),
    eventReplayWindow: nonEmpty(env.CAREGRAPH_EVENT_REPLAY_WINDOW),
    eventReplayMaxEvents: nonEmpty(env.CAREGRAPH_EVENT_REPLAY_MAX_EVENTS),
    eventSubscriberQueue: nonEmpty(env.CAREGRAPH_EVENT_SUBSCRIBER_QUEUE),
    eventRelayPollMs: nonEmpty(env.CAREGRAPH_EVENT_RELAY_POLL_MS),
    eventChannel: nonEmpty(env.CAREGRAPH_EVENT_CHANNEL),
    metricsEnabled: parseBoolean(env.CAREGRAPH_METRICS_ENABLED),
    metricsToken: nonEmpty(env.CAREGRAPH_METRICS_TOKEN),
    pluginHealthCacheSeconds: nonEmpty(env.CAREGRAPH_PLUGIN_HEALTH_CACHE_SECONDS),
  };
  return Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined),
  ) as CareGraphConfigInput;
}

function describeIssuePath(path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  const variable = ENV_VARIABLES[key];
  return variable ? `${variable} (config key "${key}")` : `config key "${key}"`;
}

/** Validates a merged config; throws a ConfigError naming each bad variable and what is expected. */
export function validateConfig(input: CareGraphConfigInput): CareGraphConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${describeIssuePath(issue.path)}: expected ${issue.message}`,
  );
  throw ConfigError.invalid(problems);
}

async function readConfigFile(cwd: string, explicitPath?: string): Promise<CareGraphConfigInput> {
  const candidates = explicitPath
    ? [resolve(cwd, explicitPath)]
    : CONFIG_FILE_NAMES.map((name) => resolve(cwd, name));
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) {
    if (explicitPath)
      throw ConfigError.invalid([`CAREGRAPH_CONFIG: file ${explicitPath} does not exist`]);
    return {};
  }
  if (file.endsWith('.json')) {
    const { readFile } = await import('node:fs/promises');
    return JSON.parse(await readFile(file, 'utf8')) as CareGraphConfigInput;
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: CareGraphConfigInput };
  return module.default ?? {};
}

/**
 * Loads the configuration: the optional config file (`caregraph.config.{ts,js,mjs,json}` in
 * the working directory, or `CAREGRAPH_CONFIG`), then environment variables, then `overrides`
 * (command-line flags), each layer winning over the one before.
 */
export async function loadConfig(
  options: { env?: Env; cwd?: string; overrides?: CareGraphConfigInput } = {},
): Promise<CareGraphConfig> {
  const env = options.env ?? process.env;
  const fromFile = await readConfigFile(
    options.cwd ?? process.cwd(),
    nonEmpty(env.CAREGRAPH_CONFIG),
  );
  const fromEnv = configFromEnv(env);
  return validateConfig({
    ...fromFile,
    ...fromEnv,
    ...options.overrides,
    jwt: { ...fromFile.jwt, ...fromEnv.jwt, ...options.overrides?.jwt },
  });
}

/** Whether this configuration runs on the embedded database. */
export function usesEmbeddedDatabase(config: CareGraphConfig): boolean {
  return !config.databaseUrl;
}

/** The interface the server binds. */
export function listenHost(config: CareGraphConfig): string {
  return config.host ?? (config.nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1');
}
