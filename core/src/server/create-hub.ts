import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import proxyaddr from 'proxy-addr';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/sql';
import type { PluginContext } from '@caregraph/plugin-sdk';
import { accessAuditPlugin } from '../audit/access-audit-plugin.js';
import { loginFailureDraft, SYSTEM_AUDIT_TENANT } from '../audit/access-audit.js';
import { AuditWriter } from '../audit/audit-writer.js';
import { cachingVerifier } from '../auth/caching-verifier.js';
import { loadOrCreateDevSigningKey, type DevSigningKey } from '../auth/dev-signing-key.js';
import {
  devTokenVerifier,
  firstMatchingVerifier,
  jwksTokenVerifier,
  type TokenVerifier,
} from '../auth/token-verifier.js';
import type { CareGraphConfig } from '../config/config-schema.js';
import { durationMs } from '../config/duration.js';
import { listenHost, usesEmbeddedDatabase } from '../config/load-config.js';
import { ContextFactory } from '../context/context-factory.js';
import type { PatientRightsSettings, RequestContext } from '../context/request-context.js';
import { acquireDataDirLock } from '../db/data-dir-lock.js';
import { createOrm, migrateDatabase, type DatabaseTarget } from '../db/create-orm.js';
import { checkRowLevelSecurity } from '../db/row-level-security-check.js';
import { runInRequestDatabaseScope } from '../db/tenant-scope.js';
import { CareGraphError } from '../errors/caregraph-error.js';
import { CareEvents } from '../events/care-events.js';
import { EventSnapshots } from '../events/event-snapshot.js';
import { careEventAudience } from '../security/event-routing.js';
import type { EventBus } from '../events/event-bus.js';
import { buildGatewaySchema } from '../graphql/build-schema.js';
import { createErrorFormatter } from '../graphql/format-error.js';
import { operationLimitRules, operationLimits } from '../graphql/operation-limits.js';
import { TrustedDocuments } from '../graphql/trusted-documents.js';
import {
  createLogger,
  currentLogger,
  currentRequestScope,
  runInRequestScope,
  type Logger,
} from '../logging/logger.js';
import {
  isDatabaseEmpty,
  seedDemoClinic,
  type DemoClinicIds,
  type DemoClinicSeed,
} from '../seed/demo-clinic.js';
import { encryptPlaintextRows } from '../crypto/encrypt-plaintext-rows.js';
import { Keyring } from '../crypto/keyring.js';
import type { KeyProvider } from '../crypto/key-provider.js';
import { createKeyProvider } from '../crypto/master-key-file.js';
import { writeDevUserDirectory } from '../auth/dev-user-directory.js';
import { HubMetrics } from '../metrics/hub-metrics.js';
import { preparePlugins, type PluginEntry, type RestartPolicy } from '../plugins/index.js';
import { PluginPatientDataHandlers } from '../plugins/plugin-patient-data.js';
import { createHubPlugins, type HubPlugins } from '../plugins/hub-plugins.js';
import { attachSubscriptionServer } from './graphql-ws-server.js';
import { fhirExportRouter } from './fhir-export-route.js';
import { healthRouter, type HealthState } from './health.js';
import { metricsRouter } from './metrics-route.js';
import { RequestRateLimiter } from './rate-limit.js';

/** Options of `createHub`. */
export interface HubOptions {
  config: CareGraphConfig;
  logger?: Logger;
  /** Overrides where the database is (tests use a fresh schema or in-memory PGlite). */
  database?: DatabaseTarget;
  /** Serve without graphql-shield (benchmarks measure its cost); never in production. */
  authorization?: boolean;
  /** Called with each SQL statement (tests count statements). */
  onQuery?: (sql: string) => void;
  /** Overrides the master key provider (default: from `CAREGRAPH_MASTER_KEY_FILE`). */
  keyProvider?: KeyProvider;
  /**
   * Plugins, registered explicitly and validated at boot (a definition, or one with config);
   * default: the config's `plugins`.
   */
  plugins?: readonly PluginEntry[];
  /** Restart backoff of failed plugins (tests shorten it). */
  pluginRestartPolicy?: RestartPolicy;
  /** Pinned ids of the demo clinic when this boot seeds it (default: the config's `seedIds`). */
  seedIds?: DemoClinicIds;
  /**
   * `serve` (default): a hub to `start`. `command`: a hub for a CLI command (a plugin's
   * `caregraph hl7 import`): the database is opened and migrated and the plugin contexts exist
   * (`pluginContext`), but nothing is seeded, no dev key is written, `start` refuses, and plugin
   * `start` hooks, the job queue and the outbox relay never run (committed events are published
   * by a serving instance or the next `serve`).
   */
  mode?: 'serve' | 'command';
}

/** A running (or startable) CareGraph hub. */
export interface Hub {
  config: CareGraphConfig;
  logger: Logger;
  orm: MikroORM;
  /** The unwrapped tenant keys of field encryption (in memory only). */
  keyring: Keyring;
  schema: GraphQLSchema;
  /** The bus subscribers follow (in-process, or Redis pub/sub between instances). */
  events: EventBus;
  /** The outbox relay and bus as request contexts use them. */
  careEvents: CareEvents;
  contexts: ContextFactory;
  /** Writes access audit rows (reads, deliveries, login failures) with group commit. */
  audit: AuditWriter;
  devSigningKey?: DevSigningKey;
  /** The registered plugins: their host (statuses), routes and jobs. */
  plugins: HubPlugins;
  /** Prometheus metrics (served on `/metrics` when `metricsEnabled`). */
  metrics: HubMetrics;
  /** Present when this boot seeded the demo clinic. */
  seeded?: DemoClinicSeed;
  httpServer: Server;
  /**
   * The context of a registered plugin, as its routes and jobs get it (in command mode: what a
   * plugin command runs with). Throws when no plugin has this id.
   */
  pluginContext(pluginId: string): PluginContext;
  /** Starts listening; resolves with the GraphQL URL (not in command mode). */
  start(): Promise<string>;
  /** Stops accepting work, drains, closes the database. */
  stop(): Promise<void>;
}

function databaseTarget(config: CareGraphConfig): DatabaseTarget {
  if (config.databaseUrl)
    return { kind: 'postgres', url: config.databaseUrl, poolMax: config.databasePoolMax };
  return config.memory ? { kind: 'pglite-memory' } : { kind: 'pglite', dataDir: config.dataDir };
}

/** Retention and export settings from the config (`exportTtl` is like `15m`). */
function patientRightsSettings(config: CareGraphConfig): PatientRightsSettings {
  return {
    retentionYears: config.retentionYears,
    retentionMajorityAge: config.retentionMajorityAge,
    exportTtlMs: durationMs(config.exportTtl),
  };
}

function createVerifier(config: CareGraphConfig, devKey: DevSigningKey | undefined): TokenVerifier {
  const verifiers: TokenVerifier[] = [];
  const { jwksUrl, issuer, audience } = config.jwt;
  if (jwksUrl && issuer && audience)
    verifiers.push(jwksTokenVerifier({ jwksUrl, issuer, audience }));
  if (devKey) verifiers.push(devTokenVerifier(devKey));
  return cachingVerifier(firstMatchingVerifier(verifiers));
}

function requestScopeMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('x-request-id');
    const requestId = header && /^[A-Za-z0-9._:-]{8,128}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const requestLogger = logger.child({ requestId });
    res.on('finish', () =>
      requestLogger.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      ),
    );
    // The request sees no tenant rows until its token names the caller (`ContextFactory.create`).
    runInRequestDatabaseScope(() => runInRequestScope({ requestId, logger: requestLogger }, next));
  };
}

/**
 * Answers errors raised before GraphQL runs (body too large, malformed JSON) as a GraphQL-shaped
 * JSON error, never Express's HTML page with a stack trace.
 */
function httpErrorHandler(logger: Logger) {
  return (
    error: { status?: number; type?: string },
    _req: Request,
    res: Response,
    _next: NextFunction,
  ) => {
    const status =
      typeof error.status === 'number' && error.status >= 400 && error.status < 500
        ? error.status
        : 500;
    const message =
      status === 413
        ? 'The request body is too large.'
        : status < 500
          ? 'The request is malformed.'
          : 'Internal server error.';
    if (status >= 500) currentLogger(logger).error({ err: { type: error.type } }, 'http error');
    res.status(status).json({
      errors: [
        { message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } },
      ],
    });
  };
}

function toGraphQLContextError(error: unknown): GraphQLError {
  if (error instanceof CareGraphError) {
    const status = error.code === 'UNAUTHENTICATED' ? 401 : 400;
    return new GraphQLError(error.message, {
      extensions: { code: error.code, ...error.details, http: { status } },
    });
  }
  return new GraphQLError('Internal server error.', {
    extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } },
  });
}

/**
 * Builds the hub: opens and migrates the database, seeds the demo clinic into an empty
 * non-production database, builds the guarded schema, and wires Apollo (HTTP) and graphql-ws
 * (WebSocket) on one server and path.
 */
export async function createHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  if (options.authorization === false && config.nodeEnv === 'production') {
    throw new Error('Authorization cannot be switched off in production.');
  }
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // Read before the database opens, so a bad manifest stops the boot before anything else.
  const trustedDocuments = config.trustedDocuments
    ? await TrustedDocuments.load(config.trustedDocuments)
    : undefined;
  if (trustedDocuments)
    logger.info(
      { operations: trustedDocuments.size },
      'trusted documents: only registered operations run',
    );
  // Plugins are validated before the database opens: a bad registration fails the boot fast.
  const preparedPlugins = await preparePlugins(options.plugins ?? config.plugins ?? []);
  const target = options.database ?? databaseTarget(config);
  const lock = target.kind === 'pglite' ? await acquireDataDirLock(config.dataDir) : undefined;
  let orm: MikroORM | undefined;
  let keyring: Keyring;
  try {
    keyring = new Keyring(options.keyProvider ?? (await createKeyProvider(config)));
    orm = await createOrm(target, {
      logger,
      onQuery: options.onQuery,
      keyring,
      plugins: preparedPlugins.orm,
    });
    const applied = await migrateDatabase(orm);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    await checkRowLevelSecurity(orm, target, config, logger);
    // Unwraps every tenant's keys: a wrong master key stops the boot here.
    const tenants = await keyring.loadAll(orm.em.fork());
    const ormForKeys = orm;
    keyring.refreshFrom(() => ormForKeys.em.fork());
    logger.info(
      { tenants, masterKeyId: keyring.provider.masterKeyId },
      'field encryption keys loaded',
    );
    const encrypted = await encryptPlaintextRows(orm, keyring);
    if (Object.keys(encrypted).length)
      logger.info({ rows: encrypted }, 'encrypted sensitive fields stored as plaintext');
  } catch (error) {
    await orm?.close();
    await lock?.release();
    throw error;
  }

  const command = options.mode === 'command';
  let seeded: DemoClinicSeed | undefined;
  if (
    !command &&
    config.seedDemo &&
    config.nodeEnv !== 'production' &&
    (await isDatabaseEmpty(orm))
  ) {
    seeded = await seedDemoClinic(orm, { ids: options.seedIds ?? config.seedIds });
    logger.info({ tenant: seeded.tenantSlug, patients: seeded.patientCount }, 'demo clinic seeded');
  }
  const embedded = usesEmbeddedDatabase(config);
  const devSigningKey =
    config.nodeEnv === 'production' || command
      ? undefined
      : await loadOrCreateDevSigningKey(config.memory ? undefined : config.dataDir);
  if (devSigningKey && target.kind === 'pglite') await writeDevUserDirectory(orm, config.dataDir);

  const metrics = new HubMetrics(logger, config.metricsEnabled);
  // One snapshot per event, shared by its routing (the audience lookup) and its receivers.
  const snapshots = new EventSnapshots();
  const careEvents = CareEvents.fromConfig(
    config,
    orm,
    logger,
    metrics,
    careEventAudience(orm, snapshots),
    snapshots,
  );
  const verifier = createVerifier(config, devSigningKey);
  const contexts = new ContextFactory(
    orm,
    verifier,
    careEvents,
    logger,
    { breakGlassMinutes: config.breakGlassMinutes },
    patientRightsSettings(config),
    PluginPatientDataHandlers.of(preparedPlugins.plugins),
  );
  const rateLimiter = RequestRateLimiter.fromConfig(config, verifier, logger);
  const plugins = createHubPlugins(
    preparedPlugins,
    {
      orm,
      target,
      contexts,
      events: careEvents.bus,
      logger,
      eventPollMs: config.eventRelayPollMs,
      registry: metrics.registry,
      healthCacheMs: config.pluginHealthCacheSeconds * 1000,
    },
    options.pluginRestartPolicy,
  );
  metrics.observe({ orm, bus: careEvents.bus, plugins: () => plugins.host.statuses() });
  const schema = await buildGatewaySchema({
    authorization: options.authorization,
    extension: plugins.schema,
  });
  const audit = new AuditWriter(orm);
  const auditLoginFailure = (error: unknown, requestId?: string, clientAddress?: string) => {
    if (!(error instanceof CareGraphError) || error.code !== 'UNAUTHENTICATED') return;
    const reason = typeof error.details.reason === 'string' ? error.details.reason : 'error';
    return audit
      .append(SYSTEM_AUDIT_TENANT, [
        loginFailureDraft({ reason, requestId, clientAddress, channel: 'http' }),
      ])
      .catch(() => logger.error({ requestId }, 'login failure could not be audited'));
  };
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy) {
    const hops = /^\s*\d+\s*$/.test(config.trustProxy) ? Number(config.trustProxy) : undefined;
    app.set('trust proxy', hops ?? config.trustProxy);
  }
  const httpServer = createServer(app);
  const health: HealthState = {
    orm,
    startedAt: new Date(),
    ready: false,
    plugins: () => plugins.health(),
  };
  const limits = operationLimits(config);
  const subscriptions = attachSubscriptionServer({
    httpServer,
    schema,
    contexts,
    logger,
    limits,
    audit,
    orm,
    revalidateSeconds: config.wsRevalidateSeconds,
    // The same client address as `req.ip` on HTTP (X-Forwarded-For from trusted proxies only).
    clientAddress: (request) =>
      proxyaddr(request, app.get('trust proxy fn') as (addr: string, i: number) => boolean),
    rateLimiter,
    trustedDocuments,
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.nodeEnv !== 'production',
    hideSchemaDetailsFromClientErrors: limits.hideSuggestions,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: operationLimitRules(limits),
    csrfPrevention: true,
    // The hub owns shutdown (`stop`, called by the CLI on SIGTERM/SIGINT) and its order: Apollo's
    // own signal handlers would stop Apollo concurrently with it (a hung shutdown on PostgreSQL).
    stopOnTerminationSignals: false,
    // Trusted-documents mode resolves persisted-query ids itself, before Apollo, from the
    // manifest; Apollo's automatic persisted queries would let clients register new ones.
    ...(trustedDocuments ? { persistedQueries: false as const } : {}),
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [
      // PHI responses are never cacheable; without this Apollo instruments every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      // Reads are audited with authorization: a hub built without shield (benchmarks) has neither.
      ...(options.authorization === false ? [] : [accessAuditPlugin(audit, logger)]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: () => subscriptions.close() }) },
      // No landing page at all in production: no Sandbox, no hint at what runs here.
      config.nodeEnv === 'production'
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
  });

  let started = false;
  return {
    config,
    logger,
    orm,
    keyring,
    schema,
    events: careEvents.bus,
    careEvents,
    contexts,
    audit,
    devSigningKey,
    plugins,
    metrics,
    seeded,
    httpServer,
    pluginContext(pluginId) {
      const ctx = plugins.host.context(pluginId);
      if (!ctx) throw new CareGraphError('NOT_FOUND', `No plugin "${pluginId}" is registered.`);
      return ctx;
    },
    async start() {
      if (command)
        throw new CareGraphError('CG_ERR_CONFIG_INVALID', 'A hub in command mode does not serve.');
      await apollo.start();
      started = true;
      app.use(requestScopeMiddleware(logger));
      app.use(healthRouter(health));
      if (config.metricsEnabled) app.use(metricsRouter(metrics, config.metricsToken));
      app.use(fhirExportRouter(contexts, logger, rateLimiter));
      app.use(plugins.router(rateLimiter));
      await rateLimiter?.start();
      await careEvents.start();
      app.use(
        '/graphql',
        ...(rateLimiter ? [rateLimiter.middleware()] : []),
        express.json({ limit: config.bodyLimitBytes }),
        ...(trustedDocuments ? [trustedDocuments.middleware()] : []),
        expressMiddleware(apollo, {
          context: async ({ req }) => {
            const requestId = currentRequestScope()?.requestId;
            try {
              return await contexts.create({
                authorization: req.header('authorization'),
                purposeOfUse: req.header('x-purpose-of-use'),
                requestId,
                clientAddress: req.ip,
              });
            } catch (error) {
              await auditLoginFailure(error, requestId, req.ip);
              throw toGraphQLContextError(error);
            }
          },
        }),
      );
      app.use(httpErrorHandler(logger));
      await plugins.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, listenHost(config), () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      const host =
        address.address === '0.0.0.0' || address.address === '::'
          ? 'localhost'
          : address.address === '127.0.0.1'
            ? 'localhost'
            : address.address;
      const url = `http://${host}:${address.port}/graphql`;
      await lock?.update({ url });
      health.ready = true;
      logger.info(
        { url, database: embedded ? (config.memory ? 'pglite (memory)' : 'pglite') : 'postgresql' },
        'CareGraph hub listening',
      );
      return url;
    },
    async stop() {
      health.ready = false;
      await plugins.stop();
      if (started) await apollo.stop();
      else await subscriptions.close();
      await careEvents.stop();
      await rateLimiter?.close();
      await audit.drain();
      await orm.close();
      keyring.clear();
      await lock?.release();
    },
  };
}
