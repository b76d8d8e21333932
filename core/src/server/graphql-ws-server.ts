import type { Server } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  accessAuditDrafts,
  loginFailureDraft,
  SYSTEM_AUDIT_TENANT,
} from '../audit/access-audit.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { Actor } from '../auth/actor.js';
import type { RequestContext } from '../context/request-context.js';
import { CareGraphError } from '../errors/caregraph-error.js';
import type { ContextFactory } from '../context/context-factory.js';
import { parseAndValidateOperation, type OperationLimits } from '../graphql/operation-limits.js';
import type { Logger } from '../logging/logger.js';

/** graphql-ws close code for a refused or expired token. */
export const CLOSE_FORBIDDEN = 4403;

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
  actor?: Actor;
  expiresAt?: Date;
  purposeOfUse?: string;
  clientAddress?: string;
}

function connectionParam(
  params: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const value = params?.[name] ?? params?.[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Serves GraphQL subscriptions over graphql-ws on the HTTP server's `/graphql` path. The token
 * (connection param `Authorization`) is checked at connect; every subscribe checks it has not
 * expired and applies the operation limits (Apollo's validation rules do not run on this path);
 * events are re-authorised per receiver inside the subscription resolvers.
 */
export function attachSubscriptionServer(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  contexts: ContextFactory;
  logger: Logger;
  limits: OperationLimits;
  audit: AuditWriter;
}) {
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: 64 * 1024,
  });
  const states = new WeakMap<object, ConnectionState>();
  const cleanup = useServer(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        try {
          const authorization = connectionParam(ctx.connectionParams, 'Authorization');
          if (!authorization) return false;
          const { actor, expiresAt, tokenPurpose } =
            await options.contexts.authenticate(authorization);
          if (!actor) return false;
          states.set(ctx.extra, {
            actor,
            expiresAt,
            purposeOfUse: connectionParam(ctx.connectionParams, 'X-Purpose-Of-Use') ?? tokenPurpose,
            clientAddress: (ctx.extra as { request?: { socket?: { remoteAddress?: string } } })
              .request?.socket?.remoteAddress,
          });
          if (expiresAt) closeAtExpiry(ctx.extra.socket, expiresAt);
          return true;
        } catch (error) {
          const reason = error instanceof CareGraphError ? error.details.reason : undefined;
          await options.audit
            .append(SYSTEM_AUDIT_TENANT, [
              loginFailureDraft({
                reason: typeof reason === 'string' ? reason : 'error',
                clientAddress: (ctx.extra as { request?: { socket?: { remoteAddress?: string } } })
                  .request?.socket?.remoteAddress,
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
        // Apollo's validation rules do not run here: apply the same limits before executing.
        const checked = parseAndValidateOperation(options.schema, payload.query, options.limits);
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
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
