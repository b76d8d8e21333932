import type { Role } from '@caregraph/schema';
import { mintDevToken } from '../auth/dev-token.js';
import { listActiveUsers, pickUser } from '../auth/dev-user-directory.js';
import { validateConfig } from '../config/load-config.js';
import type { CareGraphConfigInput } from '../config/config-schema.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { DemoClinicSeed } from '../seed/demo-clinic.js';
import { forkForTenant, type EntityManager } from '../db/create-orm.js';
import { withTenantScope } from '../db/tenant-scope.js';
import { createHub, type Hub, type HubOptions } from '../server/create-hub.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A GraphQL response as the client sees it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
}

/** Who a test request runs as: a role (its first demo user), a user id, or a raw token. */
export type AsWho = { role: Role } | { userId: string } | { token: string } | { anonymous: true };

/** A hub listening on a free port, seeded with the demo clinic, for one test suite. */
export interface TestHub {
  hub: Hub;
  url: string;
  seed: DemoClinicSeed;
  database: TestDatabase;
  /**
   * Runs test setup or inspection directly on the database as the seeded tenant: with a fresh
   * tenant EntityManager, in that tenant's row-level security scope.
   */
  inTenant<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  /** Runs raw SQL as the seeded tenant (in its row-level security scope). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** The id of the seeded tenant's first active user with `role`. */
  userIdOf(role: Role): string;
  /** A dev token for a demo user. */
  token(who: { role: Role } | { userId: string }): Promise<string>;
  /** Sends a GraphQL request over HTTP. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: AsWho,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * Starts a real hub (HTTP and WebSocket on a free port) on its own database: in-memory PGlite,
 * or a fresh PostgreSQL database when CAREGRAPH_TEST_DATABASE_URL is set.
 */
export async function createTestHub(
  options: {
    config?: CareGraphConfigInput;
    authorization?: boolean;
    logger?: Logger;
    onQuery?: (sql: string) => void;
    plugins?: HubOptions['plugins'];
    pluginRestartPolicy?: HubOptions['pluginRestartPolicy'];
    seedIds?: HubOptions['seedIds'];
  } = {},
): Promise<TestHub> {
  const database = await createTestDatabase();
  const config = validateConfig({
    nodeEnv: 'test',
    port: 0,
    memory: true,
    logLevel: 'silent',
    // Suites send many requests as one user: a budget they never reach, on the real code path.
    rateLimitPoints: 100_000,
    ...options.config,
  });
  const logger =
    options.logger ?? createLogger({ level: process.env.CAREGRAPH_TEST_LOG ? 'debug' : 'silent' });
  const hub = await createHub({
    config,
    logger,
    database: database.target,
    authorization: options.authorization,
    onQuery: options.onQuery,
    plugins: options.plugins,
    pluginRestartPolicy: options.pluginRestartPolicy,
    seedIds: options.seedIds,
  });
  if (!hub.seeded) throw new Error('createTestHub expects an empty database to seed');
  const url = await hub.start();
  const seed = hub.seeded;
  const users = await listActiveUsers(hub.orm);

  const token = async (who: { role: Role } | { userId: string }) => {
    const user =
      'role' in who ? pickUser(users, { role: who.role }) : users.find((u) => u.id === who.userId);
    if (!user) throw new Error(`no demo user for ${JSON.stringify(who)}`);
    return mintDevToken(hub.devSigningKey!, { userId: user.id, tenantId: user.tenantId }, '1h');
  };

  return {
    hub,
    url,
    seed,
    database,
    token,
    userIdOf(role) {
      const user = pickUser(users, { role });
      if (!user) throw new Error(`no demo user with role ${role}`);
      return user.id;
    },
    inTenant: (work) =>
      withTenantScope(seed.tenantId, () => work(forkForTenant(hub.orm, seed.tenantId))),
    sql: <T>(query: string, params: unknown[] = []) =>
      withTenantScope(seed.tenantId, () => hub.orm.em.getConnection().execute<T[]>(query, params)),
    async graphql(query, variables, as = { anonymous: true }, headers = {}) {
      const bearer = 'token' in as ? as.token : 'anonymous' in as ? undefined : await token(as);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphQLResponse['body'],
      } as never;
    },
    async stop() {
      await hub.stop();
      await database.dispose();
    },
  };
}
