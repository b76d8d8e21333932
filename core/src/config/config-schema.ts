import { z } from 'zod';
import type { PluginEntry } from '../plugins/validate-plugins.js';

const postgresUrl = z
  .string()
  .regex(
    /^postgres(ql)?:\/\/.+/,
    'a PostgreSQL URL like postgres://user:password@host:5432/caregraph',
  );
const redisUrl = z.string().regex(/^rediss?:\/\/.+/, 'a Redis URL like redis://localhost:6379');
const port = z.coerce
  .number({ message: 'a port number' })
  .int('a whole port number')
  .min(0, 'a port from 0 to 65535')
  .max(65535, 'a port from 0 to 65535');

/** The validated shape of CareGraph's configuration. */
export const configSchema = z
  .object({
    nodeEnv: z.enum(['development', 'production', 'test']).default('development'),
    port: port.default(4000),
    /** Interface to listen on. Default: 127.0.0.1 in development, 0.0.0.0 in production. */
    host: z.string().min(1).optional(),
    /** PostgreSQL URL; when absent the hub runs on embedded PGlite in `dataDir`. */
    databaseUrl: postgresUrl.optional(),
    /** PostgreSQL connections each instance opens at most (PGlite has one). */
    databasePoolMax: z.coerce.number().int().min(2).max(500).default(10),
    /**
     * Start in production although the database role bypasses row-level security (a superuser
     * or BYPASSRLS role): the tenant filter is then the only tenant wall. Default false.
     */
    allowRlsBypass: z.boolean().default(false),
    dataDir: z.string().min(1).default('./.caregraph'),
    /** Embedded database in memory only (nothing written to disk). */
    memory: z.boolean().default(false),
    redisUrl: redisUrl.optional(),
    jwt: z
      .object({
        jwksUrl: z.url({ message: 'an https URL of the identity provider JWKS' }).optional(),
        issuer: z.string().min(1).optional(),
        audience: z.string().min(1).optional(),
      })
      .default({}),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Seed the demo clinic into an empty database (never in production). */
    seedDemo: z.boolean().default(true),
    /** Largest accepted HTTP request body, in bytes. */
    bodyLimitBytes: z.coerce.number().int().positive().default(1_048_576),
    /** Deepest field nesting a GraphQL operation may have. */
    graphqlMaxDepth: z.coerce.number().int().positive().default(12),
    /** Most aliased fields in one GraphQL operation. */
    graphqlMaxAliases: z.coerce.number().int().nonnegative().default(15),
    /** Most directives in one GraphQL operation. */
    graphqlMaxDirectives: z.coerce.number().int().nonnegative().default(10),
    /** Most lexical tokens in one GraphQL document. */
    graphqlMaxTokens: z.coerce.number().int().positive().default(5000),
    /** Highest static cost of one GraphQL operation (graphql-armor cost model). */
    graphqlMaxCost: z.coerce.number().int().positive().default(50_000),
    /** How long a break-glass (emergency override) session gives access, in minutes. */
    breakGlassMinutes: z.coerce
      .number({ message: 'a number of minutes' })
      .int('a whole number of minutes')
      .min(5, 'at least 5 minutes')
      .max(720, 'at most 720 minutes (12 hours)')
      .default(60),
    /** Per-caller rate limiting of GraphQL requests and WebSocket operations (on by default). */
    rateLimitEnabled: z.boolean().default(true),
    /** Requests (HTTP operations, WebSocket connections and subscribes) allowed per window. */
    rateLimitPoints: z.coerce.number().int().positive().default(600),
    /** Length of the rate-limit window, in seconds. */
    rateLimitWindowSeconds: z.coerce.number().int().positive().default(60),
    /** Prefix of the rate-limit keys in Redis (several hubs with one prefix share one budget). */
    rateLimitKeyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - (at most 64)')
      .default('caregraph:rl'),
    /**
     * Proxies whose X-Forwarded-For is believed for the client address (rate limits of anonymous
     * callers, audit): a hop count, or addresses and subnets (`loopback, 10.0.0.0/8`).
     */
    trustProxy: z
      .string()
      .regex(
        /^\s*[\w.:/]+(\s*,\s*[\w.:/]+)*\s*$/,
        'a hop count like 1, or addresses and subnets like loopback, 10.0.0.0/8',
      )
      .refine((value) => !/^\s*(true|false)\s*$/i.test(value), {
        message:
          'a hop count or addresses (trusting every proxy would let clients pick their address)',
      })
      .optional(),
    /** Apollo persisted-query manifest: when set, only the operations it lists run. */
    trustedDocuments: z.string().min(1).optional(),
    /** How often open WebSocket connections re-check their user (active, roles), in seconds. */
    wsRevalidateSeconds: z.coerce.number().positive().max(3600).default(30),
    /**
     * File with the 32-byte master key (base64) that wraps the tenant encryption keys. Required
     * in production; in development `<dataDir>/master-key` is created (memory mode: ephemeral).
     */
    masterKeyFile: z.string().min(1).optional(),
    /** Default lifetime of dev tokens minted by `caregraph token` and printed at start. */
    devTokenTtl: z
      .string()
      .regex(/^\d+[smhd]$/, 'a duration like 30m, 8h or 7d')
      .default('8h'),
    /**
     * Years medical records are kept after the patient's last clinical activity (and, for a
     * minor, after they come of age) before erasure is allowed. Default 10.
     */
    retentionYears: z.coerce
      .number()
      .int()
      .min(0, 'a whole number of years, 0 or more')
      .default(10),
    /** Age of majority for the retention of minors' records. Default 18. */
    retentionMajorityAge: z.coerce
      .number()
      .int()
      .min(0, 'an age from 0 to 30')
      .max(30, 'an age from 0 to 30')
      .default(18),
    /** How long a patient data export link stays valid (single use). */
    exportTtl: z
      .string()
      .regex(/^\d+[smh]$/, 'a duration like 90s, 15m or 1h')
      .default('15m'),
    /**
     * How far back a reconnecting subscriber may resume (`after`): a duration like `24h`.
     * Published outbox rows older than this are deleted.
     */
    eventReplayWindow: z
      .string()
      .regex(/^\d+[smhd]$/, 'a duration like 30m, 24h or 7d')
      .default('24h'),
    /** Most events one resume replays; a subscriber further behind must resync. */
    eventReplayMaxEvents: z.coerce.number().int().positive().default(1000),
    /** Most events waiting for one subscription; past it the client gets `Resync`. */
    eventSubscriberQueue: z.coerce.number().int().positive().default(1000),
    /** Redis pub/sub channel of the event bus (instances of one deployment share it). */
    eventChannel: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - (at most 64)')
      .default('caregraph:events'),
    /** How often the outbox relay looks for unpublished events of any instance, in ms. */
    eventRelayPollMs: z.coerce.number().int().min(50).max(60_000).default(1000),
    /** Serve Prometheus metrics on `/metrics` (off by default). */
    metricsEnabled: z.boolean().default(false),
    /**
     * Bearer token `/metrics` requires (`Authorization: Bearer <token>`); required in production
     * when metrics are enabled.
     */
    metricsToken: z
      .string()
      .min(16, 'at least 16 characters (generate one with "openssl rand -hex 32")')
      .optional(),
    /**
     * Plugins the CLI registers (`start`, `migrate`, `seed`), from a `caregraph.config.{ts,js,mjs}`
     * file: definitions or `withConfig(...)`, validated at boot. Code that calls `createHub`
     * passes `plugins` there instead.
     */
    plugins: z
      .array(
        z.custom<PluginEntry>(
          (value) => typeof value === 'object' && value !== null,
          'a plugin definition (definePlugin) or withConfig(plugin, config)',
        ),
      )
      .optional(),
    /**
     * Pinned ids of the demo clinic for when the boot (or `caregraph seed`) seeds it, so that a
     * config file can name the tenant and integration account of an adapter before the seed
     * exists (the repository's demo config does). Default: random. Config file only.
     */
    seedIds: z
      .object({
        tenantId: z.uuid({ message: 'a UUID' }).optional(),
        integrationUserId: z.uuid({ message: 'a UUID' }).optional(),
      })
      .optional(),
    /**
     * Lines `caregraph serve` prints after its startup banner: an assembly's how-to (the demo
     * config's "try the HL7 feed"). Config file only.
     */
    startupNotes: z.array(z.string()).default([]),
    /** How long a plugin's health check result is reused by `/health`, in seconds. */
    pluginHealthCacheSeconds: z.coerce.number().int().min(0).max(3600).default(10),
  })
  .superRefine((config, ctx) => {
    if (config.nodeEnv !== 'production') return;
    for (const key of ['jwksUrl', 'issuer', 'audience'] as const) {
      if (!config.jwt[key]) {
        ctx.addIssue({
          code: 'custom',
          path: ['jwt', key],
          message: 'required when NODE_ENV=production (dev tokens are refused in production)',
        });
      }
    }
    if (!config.masterKeyFile) {
      ctx.addIssue({
        code: 'custom',
        path: ['masterKeyFile'],
        message:
          'the path of the master key file, required when NODE_ENV=production (create one with "caregraph keys new-master-key <file>")',
      });
    }
    if (config.metricsEnabled && !config.metricsToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['metricsToken'],
        message:
          'required when NODE_ENV=production and metrics are enabled (/metrics is not public): a random token of 16+ characters',
      });
    }
    if (!config.databaseUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['databaseUrl'],
        message: 'required when NODE_ENV=production (the embedded database is for development)',
      });
    }
  });

/** Configuration as written by the user (every key optional). */
export type CareGraphConfigInput = z.input<typeof configSchema>;
/** Validated configuration with defaults applied. */
export type CareGraphConfig = z.output<typeof configSchema>;

/** Environment variable that sets each config path, for error messages and docs. */
export const ENV_VARIABLES: Record<string, string> = {
  nodeEnv: 'NODE_ENV',
  port: 'CAREGRAPH_PORT',
  host: 'CAREGRAPH_HOST',
  databaseUrl: 'CAREGRAPH_DATABASE_URL',
  databasePoolMax: 'CAREGRAPH_DATABASE_POOL_MAX',
  allowRlsBypass: 'CAREGRAPH_ALLOW_RLS_BYPASS',
  dataDir: 'CAREGRAPH_DATA_DIR',
  memory: 'CAREGRAPH_MEMORY',
  redisUrl: 'CAREGRAPH_REDIS_URL',
  'jwt.jwksUrl': 'CAREGRAPH_JWT_JWKS_URL',
  'jwt.issuer': 'CAREGRAPH_JWT_ISSUER',
  'jwt.audience': 'CAREGRAPH_JWT_AUDIENCE',
  logLevel: 'CAREGRAPH_LOG_LEVEL',
  seedDemo: 'CAREGRAPH_SEED_DEMO',
  bodyLimitBytes: 'CAREGRAPH_BODY_LIMIT_BYTES',
  devTokenTtl: 'CAREGRAPH_DEV_TOKEN_TTL',
  masterKeyFile: 'CAREGRAPH_MASTER_KEY_FILE',
  graphqlMaxDepth: 'CAREGRAPH_GRAPHQL_MAX_DEPTH',
  graphqlMaxAliases: 'CAREGRAPH_GRAPHQL_MAX_ALIASES',
  graphqlMaxDirectives: 'CAREGRAPH_GRAPHQL_MAX_DIRECTIVES',
  graphqlMaxTokens: 'CAREGRAPH_GRAPHQL_MAX_TOKENS',
  graphqlMaxCost: 'CAREGRAPH_GRAPHQL_MAX_COST',
  retentionYears: 'CAREGRAPH_RETENTION_YEARS',
  retentionMajorityAge: 'CAREGRAPH_RETENTION_MAJORITY_AGE',
  exportTtl: 'CAREGRAPH_EXPORT_TTL',
  breakGlassMinutes: 'CAREGRAPH_BREAK_GLASS_MINUTES',
  rateLimitEnabled: 'CAREGRAPH_RATE_LIMIT_ENABLED',
  rateLimitPoints: 'CAREGRAPH_RATE_LIMIT_POINTS',
  rateLimitWindowSeconds: 'CAREGRAPH_RATE_LIMIT_WINDOW_SECONDS',
  rateLimitKeyPrefix: 'CAREGRAPH_RATE_LIMIT_KEY_PREFIX',
  trustedDocuments: 'CAREGRAPH_TRUSTED_DOCUMENTS',
  trustProxy: 'CAREGRAPH_TRUST_PROXY',
  wsRevalidateSeconds: 'CAREGRAPH_WS_REVALIDATE_SECONDS',
  eventReplayWindow: 'CAREGRAPH_EVENT_REPLAY_WINDOW',
  eventReplayMaxEvents: 'CAREGRAPH_EVENT_REPLAY_MAX_EVENTS',
  eventSubscriberQueue: 'CAREGRAPH_EVENT_SUBSCRIBER_QUEUE',
  eventRelayPollMs: 'CAREGRAPH_EVENT_RELAY_POLL_MS',
  eventChannel: 'CAREGRAPH_EVENT_CHANNEL',
  metricsEnabled: 'CAREGRAPH_METRICS_ENABLED',
  metricsToken: 'CAREGRAPH_METRICS_TOKEN',
  pluginHealthCacheSeconds: 'CAREGRAPH_PLUGIN_HEALTH_CACHE_SECONDS',
};
