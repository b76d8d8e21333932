import type { IncomingMessage, Server } from 'node:http';
import { execute, GraphQLError, subscribe, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { MikroORM } from '@mikro-orm/sql';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  accessAuditDrafts,
  loginFailureDraft,
  SYSTEM_AUDIT_TENANT,
} from '../audit/access-audit.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { Actor } from '../auth/actor.js';
import type { RequestContext } from '../context/request-context.js';
import { loadActiveActors } from '../auth/resolve-actor.js';
import type { ContextFactory } from '../context/context-factory.js';
import { tenantScopedIterable, withTenantScope } from '../db/tenant-scope.js';
import { CareGraphError, RateLimitedError } from '../errors/caregraph-error.js';
import { parseAndValidateOperation, type OperationLimits } from '../graphql/operation-limits.js';
import type { TrustedDocuments } from '../graphql/trusted-documents.js';
import type { Logger } from '../logging/logger.js';
import type { RequestRateLimiter } from './rate-limit.js';

/** graphql-ws close code for a refused, expired or revoked token. */
export const CLOSE_FORBIDDEN = 4403;
/** Close code for a connection attempt over the caller's rate limit (graphql-ws: not retried). */
export const CLOSE_RATE_LIMITED = 4429;

/** Largest delay setTimeout accepts (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Closes the socket with 4403 when the token it connected with expires. */
function closeAtExpiry(socket: WebSocket, expiresAt: Date): void {
  const timer = setTimeout(
    () => socket.close(CLOSE_FORBIDDEN, 'Token expired'),
    Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), MAX_TIMER_MS),
  );
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

interface ConnectionState {
  socket: WebSocket;
  actor: Actor;
  expiresAt?: Date;
  purposeOfUse?: string;
  clientAddress?: string;
  /** The caller's rate-limit budget key. */
  rateKey?: string;
}

/**
 * Runs an operation in the database scope of its caller's tenant. graphql-ws handles socket
 * messages outside any request scope, and a subscription resolves each event (with database
 * reads) when its stream is pulled, so the stream is scoped too.
 */
function inCallerTenant<T>(args: ExecutionArgs, run: () => T): T {
  const tenantId = (args.contextValue as RequestContext | undefined)?.tenantId;
  return tenantId ? withTenantScope(tenantId, run) : run();
}

const scopedExecute = (args: ExecutionArgs) => inCallerTenant(args, () => execute(args));

const scopedSubscribe = (args: ExecutionArgs) =>
  inCallerTenant(args, async () => {
    const result = await subscribe(args);
    const tenantId = (args.contextValue as RequestContext).tenantId;
    return tenantId && Symbol.asyncIterator in result
      ? tenantScopedIterable(tenantId, result)
      : result;
  });

/**
 * Whether the reloaded user no longer has what the connection was opened with: gone or
 * inactive, another tenant or identity link, or a role fewer. (A role more is taken over.)
 */
function lostAccess(before: Actor, now: Actor | undefined): boolean {
  if (!now) return true;
  if (
    now.tenantId !== before.tenantId ||
    now.kind !== before.kind ||
    now.practitionerId !== before.practitionerId ||
    now.patientId !== before.patientId ||
    now.relatedPersonId !== before.relatedPersonId
  )
    return true;
  return before.roles.some((role) => !now.roles.includes(role));
}

function asGraphQLError(error: CareGraphError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } });
}

/** A resolver error with the stable code of the CareGraphError it came from. */
function withCareGraphCode(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  if (!(original instanceof CareGraphError)) return error;
  return new GraphQLError(original.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: { code: original.code, ...original.details },
  });
}

function connectionParam(
  params: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const value = params?.[name] ?? params?.[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** Options of `attachSubscriptionServer`. */
export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  contexts: ContextFactory;
  logger: Logger;
  limits: OperationLimits;
  audit: AuditWriter;
  /** Reloads users to re-check open connections. */
  orm: MikroORM;
  /** How often every open connection's user is re-checked, in seconds. */
  revalidateSeconds: number;
  rateLimiter?: RequestRateLimiter;
  trustedDocuments?: TrustedDocuments;
  /** The client address of an upgrade request (default: the socket's remote address). */
  clientAddress?: (request: IncomingMessage) => string | undefined;
}

/**
 * Serves GraphQL subscriptions over graphql-ws on the HTTP server's `/graphql` path. The token
 * (connection param `Authorization`) is checked at connect. Every subscribe spends from the
 * caller's rate limit, re-reads the user (a deactivated user or a lost role closes the socket
 * with 4403), checks the token has not expired, applies trusted-documents mode and the
 * operation limits (Apollo's plugins and validation rules do not run on this path). Every
 * `revalidateSeconds` the users of all open sockets are re-read in one statement, and sockets
 * whose user lost access are closed with 4403. Events are re-authorised per receiver inside
 * the subscription resolvers.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions) {
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: 64 * 1024,
  });
  const states = new WeakMap<object, ConnectionState>();
  const open = new Set<ConnectionState>();
  const revoke = (state: ConnectionState) => {
    open.delete(state);
    state.socket.close(CLOSE_FORBIDDEN, 'Forbidden');
  };

  let revalidating = false;
  const revalidateAll = async () => {
    if (revalidating || open.size === 0) return;
    revalidating = true;
    try {
      const connections = [...open];
      const fresh = await loadActiveActors(
        options.orm,
        connections.map((c) => c.actor.userId),
      );
      for (const state of connections) {
        const now = fresh.get(state.actor.userId);
        if (lostAccess(state.actor, now)) revoke(state);
        else state.actor = now!;
      }
    } catch (error) {
      // The database is unreachable: keep the sockets (their events need it too) and retry.
      // (no driver message in the log: it can quote values)
      options.logger.warn({ err: { name: (error as Error).name } }, 'ws revalidation failed');
    } finally {
      revalidating = false;
    }
  };
  const timer = setInterval(() => void revalidateAll(), options.revalidateSeconds * 1000);
  timer.unref();

  const cleanup = useServer(
    {
      schema: options.schema,
      execute: scopedExecute,
      subscribe: scopedSubscribe,
      onConnect: async (ctx) => {
        try {
          const authorization = connectionParam(ctx.connectionParams, 'Authorization');
          const request = ctx.extra.request;
          const clientAddress = options.clientAddress
            ? options.clientAddress(request)
            : request.socket.remoteAddress;
          const rateKey = await options.rateLimiter?.keyFor(authorization, clientAddress);
          if (options.rateLimiter && rateKey) {
            const decision = await options.rateLimiter.consume(rateKey);
            if (!decision.allowed) {
              ctx.extra.socket.close(CLOSE_RATE_LIMITED, 'Too many requests');
              return false;
            }
          }
          if (!authorization) return false;
          const { actor, expiresAt, tokenPurpose } =
            await options.contexts.authenticate(authorization);
          if (!actor) return false;
          const state: ConnectionState = {
            socket: ctx.extra.socket,
            actor,
            expiresAt,
            purposeOfUse: connectionParam(ctx.connectionParams, 'X-Purpose-Of-Use') ?? tokenPurpose,
            clientAddress,
            rateKey,
          };
          states.set(ctx.extra, state);
          open.add(state);
          ctx.extra.socket.once('close', () => open.delete(state));
          if (expiresAt) closeAtExpiry(ctx.extra.socket, expiresAt);
          return true;
        } catch (error) {
          const reason = error instanceof CareGraphError ? error.details.reason : undefined;
          await options.audit
            .append(SYSTEM_AUDIT_TENANT, [
              loginFailureDraft({
                reason: typeof reason === 'string' ? reason : 'error',
                clientAddress:
                  options.clientAddress?.(ctx.extra.request) ??
                  ctx.extra.request.socket.remoteAddress,
                channel: 'websocket',
              }),
            ])
            .catch(() => options.logger.error('login failure could not be audited'));
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const state = states.get(ctx.extra);
        if (!state?.actor || (state.expiresAt && state.expiresAt.getTime() <= Date.now())) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden');
          return [new GraphQLError('Forbidden', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        if (options.rateLimiter && state.rateKey) {
          const decision = await options.rateLimiter.consume(state.rateKey);
          if (!decision.allowed)
            return [asGraphQLError(RateLimitedError.retryAfter(decision.retryAfterSeconds))];
        }
        const fresh = (await loadActiveActors(options.orm, [state.actor.userId])).get(
          state.actor.userId,
        );
        if (lostAccess(state.actor, fresh)) {
          revoke(state);
          return [new GraphQLError('Forbidden', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        state.actor = fresh!;
        let query = payload.query;
        if (options.trustedDocuments) {
          try {
            query = options.trustedDocuments.resolve(payload).query ?? query;
          } catch (error) {
            if (error instanceof CareGraphError) return [asGraphQLError(error)];
            throw error;
          }
        }
        // Apollo's validation rules do not run here: apply the same limits before executing.
        const checked = parseAndValidateOperation(options.schema, query, options.limits);
        if (checked.errors) return checked.errors;
        return {
          schema: options.schema,
          document: checked.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      context: (ctx) => {
        const state = states.get(ctx.extra);
        return options.contexts.forActor(state?.actor, {
          purposeOfUse: state?.purposeOfUse,
          clientAddress: state?.clientAddress,
        });
      },
      // Each delivered event is audited (patients and categories it disclosed) before it is sent;
      // if that fails the event is replaced by an error rather than sent unaudited.
      onNext: async (_ctx, _id, payload, args, result) => {
        // A subscribe refused with a coded error (FORBIDDEN, RESYNC_REQUIRED): keep its code.
        if (result.errors?.some((e) => e.originalError instanceof CareGraphError))
          return { ...result, errors: result.errors.map(withCareGraphCode) } as never;
        const context = args.contextValue as RequestContext;
        const reads = context.access?.drainReads() ?? [];
        if (reads.length === 0 || !context.tenantId) return;
        try {
          await options.audit.append(
            context.tenantId,
            accessAuditDrafts(context, reads, {
              channel: 'subscription',
              operationName: payload.operationName,
            }),
          );
        } catch {
          options.logger.error(
            { requestId: context.requestId },
            'delivery audit failed; event withheld',
          );
          return {
            errors: [
              { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            ],
          };
        }
        return result as never;
      },
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wsServer,
  );
  return {
    async close(): Promise<void> {
      clearInterval(timer);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
